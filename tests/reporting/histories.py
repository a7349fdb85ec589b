"""Hand-built case histories for the annual table tests, logged through the services."""

from __future__ import annotations

import datetime as dt

from cases import services, vocabulary
from cases.models import Case, User
from reporting.tables import column_keys

from ..factories import register_case


def log_case(
    actor: User,
    *,
    received: dt.date,
    concluded: dt.date | None = None,
    outcome: str = "disclosed",
    applicant_type: str = "natural_person",
) -> Case:
    """A case received on ``received`` and, if ``concluded`` is given, concluded that day with
    ``outcome``: answered after review, withdrawn, or lapsed (correction or fee)."""
    case = register_case(actor=actor, received_on=received, applicant_type=applicant_type)
    if concluded is None:
        return case
    if outcome == vocabulary.WITHDRAWN:
        return services.case_withdraw(case=case, actor=actor, on=concluded)
    if outcome == vocabulary.NO_CORRECTION:
        case = services.case_request_correction(
            case=case, actor=actor, items="请写明所需信息的名称", on=received, period_days=1
        )
        return services.case_lapse(case=case, actor=actor, on=concluded)
    if outcome == vocabulary.UNCLEAR_AFTER_CORRECTION:  # only after a correction notice
        case = services.case_request_correction(
            case=case, actor=actor, items="请写明所需信息的名称", on=received, period_days=1
        )
        case = services.case_receive_correction(case=case, actor=actor, on=received)
    case = services.case_review(case=case, actor=actor, on=received)
    if outcome == vocabulary.FEE_UNPAID:
        case = services.case_issue_fee_notice(
            case=case, actor=actor, basis="per_page", amount=100, on=received
        )
        return services.case_lapse(case=case, actor=actor, on=concluded)
    return services.case_answer(
        case=case, actor=actor, outcome=outcome, on=concluded, **answer_details(outcome)
    )


def answer_details(outcome: str) -> dict[str, str]:
    """What an outcome needs besides itself: a reason, or a basis the office writes itself."""
    details = {}
    if outcome in vocabulary.OUTCOMES_NEEDING_REASON or outcome == vocabulary.NOT_RESPONSIBLE:
        details["reason"] = "涉及第三方个人隐私"
    if outcome in vocabulary.OUTCOMES_WITHOUT_DEFAULT_BASIS:
        details["legal_basis"] = "《中华人民共和国政府信息公开条例》第三十六条第（七）项"
    return details


def values(table: dict, row_key: str) -> dict[str, int]:
    row = next(row for row in table["rows"] if row["key"] == row_key)
    return row["values"]


def column(table: dict, column_key: str) -> dict[str, int]:
    """Every numbered row's value in one column, by row key."""
    return {row["key"]: row["values"][column_key] for row in table["rows"] if row["values"]}


def only(table: dict, expected: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The table's values where they differ from ``expected`` (missing means zero)."""
    differences = {}
    for row in table["rows"]:
        if row["kind"] == "header":
            continue
        want = {key: expected.get(row["key"], {}).get(key, 0) for key in column_keys()}
        if row["values"] != want:
            differences[row["key"]] = {"got": row["values"], "want": want}
    return differences


def cells(**by_column: int) -> dict[str, int]:
    """A row's expected values: the given columns and their total."""
    return {**by_column, "total": sum(by_column.values())}
