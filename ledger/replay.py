"""A ledger row replayed through the services of ``cases``, step by step, with the row's dates.

The imported case gets the audit trail a case logged live gets: one event per step, dated as
the ledger says, each with the note "导入：<file> 第N行" that marks it as imported. Nothing is
written any other way; a step the services refuse stops the row, and the refusal is reported
at the column of the value it concerns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cases import actions, hooks, services, vocabulary
from cases.errors import ApplicationError, InvalidInput
from cases.models import Agency, Case, User

from .rows import LedgerRow, RowError
from .values import as_text

# Free text the services require but an office's ledger often lacks (the items of a correction
# notice, the party consulted, the reason for an extension).
NOT_IN_LEDGER = "（台账未载明）"
# Every event of an imported case carries a note beginning so; an app reacting to case actions
# tells an imported step from a live one by it (cases.hooks.CaseChange.imported).
IMPORT_NOTE_PREFIX = hooks.IMPORTED_NOTE_PREFIX
NOTE_FILE_NAME_MAX = 120

_REGISTRATION_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "channel",
    "received_on",
    "description",
    "contact_phone",
    "contact_email",
    "contact_address",
    "postal_code",
    "delivery_form",
)
# The actions another app may hold until their document is issued.
_HELD_FOR_DOCUMENTS = ("answer", "extend")
# Steps whose action needs the case reviewed first.
_AFTER_REVIEW = ("consult", "issue_fee_notice", "extend", "answer")
# Same-day steps in the order they happen. A review the ledger dates comes before a correction
# asked for the same day (the handler found the request unclear on reading it); a review it does
# not date is recorded with the first step that needs it.
_ORDER = {
    "register": 0,
    "review": 1,
    "request_correction": 2,
    "correction_notice": 3,
    "receive_correction": 4,
    "implied_review": 5,
    "consult": 6,
    "receive_opinion": 7,
    "issue_fee_notice": 8,
    "fee_notice": 9,
    "receive_payment": 10,
    "extend": 11,
    "conclusion": 12,
    "archive": 13,
}


@dataclass(frozen=True)
class Step:
    action: str  # a service of cases.services.ACTION_SERVICES, "register" or "delivery"
    on: dt.date
    order: int
    column: str  # the column holding the step's date
    inputs: dict[str, Any] = field(default_factory=dict)
    # The service's input names -> the columns they came from, to report a refusal there.
    fields: dict[str, str] = field(default_factory=dict)


class RowRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].message if errors else "")
        self.errors = errors


def note_for(file_name: str, row: int) -> str:
    name = (
        file_name if len(file_name) <= NOTE_FILE_NAME_MAX else f"…{file_name[-NOTE_FILE_NAME_MAX:]}"
    )
    return f"{IMPORT_NOTE_PREFIX}{name} 第{row}行"


def _text(row: LedgerRow, key: str, default: str = "") -> str:
    return row.get(key) or default


def plan(row: LedgerRow) -> list[Step]:
    """The row's steps in the order they happened."""
    get = row.get
    steps = [
        Step(
            "register",
            get("received_on"),
            _ORDER["register"],
            "received_on",
            {name: get(name, "") for name in _REGISTRATION_FIELDS},
            {name: name for name in _REGISTRATION_FIELDS},
        )
    ]

    def add(action: str, column: str, inputs=None, fields=None, order: str = "") -> None:
        if get(column) is not None:
            steps.append(
                Step(
                    action, get(column), _ORDER[order or action], column, inputs or {}, fields or {}
                )
            )

    add(
        "request_correction",
        "correction_requested_on",
        {
            "items": _text(row, "correction_items", NOT_IN_LEDGER),
            "period_days": get("correction_period_days"),
        },
        {"items": "correction_items", "period_days": "correction_period_days"},
    )
    add(
        "delivery",
        "correction_notice_delivered_on",
        {"notice": "correction_notice"},
        order="correction_notice",
    )
    add("receive_correction", "correction_received_on")
    add(
        "consult",
        "consultation_sent_on",
        {
            "party": _text(row, "consultation_party", NOT_IN_LEDGER),
            "party_kind": _text(row, "consultation_party_kind", "third_party"),
        },
        {"party": "consultation_party", "party_kind": "consultation_party_kind"},
    )
    add(
        "receive_opinion",
        "opinion_received_on",
        {"opinion": _text(row, "opinion")},
        {"opinion": "opinion"},
    )
    add(
        "issue_fee_notice",
        "fee_notice_on",
        {"basis": get("fee_basis"), "amount": get("fee_amount")},
        {"basis": "fee_basis", "amount": "fee_amount"},
    )
    add("delivery", "fee_notice_delivered_on", {"notice": "fee_notice"}, order="fee_notice")
    add(
        "receive_payment",
        "fee_paid_on",
        {"late_reason": _text(row, "late_reason")},
        {"late_reason": "late_reason"},
    )
    add(
        "extend",
        "extended_on",
        {
            "working_days": get("extension_days"),
            "reason": _text(row, "extension_reason", NOT_IN_LEDGER),
        },
        {"working_days": "extension_days", "reason": "extension_reason"},
    )
    conclusion = _conclusion(row)
    if conclusion is not None:
        steps.append(conclusion)
    add("archive", "archived_on")
    _add_review(row, steps)
    return sorted(steps, key=lambda step: (step.on, step.order))


def _conclusion(row: LedgerRow) -> Step | None:
    outcome, on = row.get("outcome"), row.get("answered_on")
    if outcome is None or on is None:
        return None
    order = _ORDER["conclusion"]
    if outcome == vocabulary.WITHDRAWN:
        return Step("withdraw", on, order, "answered_on", {}, {})
    if outcome in (vocabulary.NO_CORRECTION, vocabulary.FEE_UNPAID):
        return Step("lapse", on, order, "answered_on", {}, {})
    inputs = {
        "outcome": outcome,
        "reply": _text(row, "reply"),
        "reason": _text(row, "reason"),
        "legal_basis": row.get("legal_basis") or None,
        "delivery": _text(row, "delivery"),
        "competent_agency": _text(row, "competent_agency"),
    }
    fields = {name: name for name in inputs}
    return Step("answer", on, order, "answered_on", inputs, fields)


def _add_review(row: LedgerRow, steps: list[Step]) -> None:
    if row.get("reviewed_on") is not None:
        steps.append(Step("review", row.get("reviewed_on"), _ORDER["review"], "reviewed_on"))
        return
    needing = [step for step in steps if step.action in _AFTER_REVIEW]
    if needing:
        first = min(needing, key=lambda step: (step.on, step.order))
        steps.append(Step("review", first.on, _ORDER["implied_review"], first.column))


def replay(
    row: LedgerRow, *, agency: Agency, actor: User, extension_actor: User | None, note: str
) -> Case:
    """Create the row's case through the services; raise RowRefused at the first refusal."""
    case: Case | None = None
    for step in plan(row):
        try:
            case = _take(
                step, case, agency=agency, actor=actor, extension_actor=extension_actor, note=note
            )
        except ApplicationError as err:
            raise RowRefused(_refusal(row, step, err)) from None
    assert case is not None
    return case


def _take(
    step: Step,
    case: Case | None,
    *,
    agency: Agency,
    actor: User,
    extension_actor: User | None,
    note: str,
) -> Case:
    if step.action == "register":
        return services.case_register(actor=actor, agency=agency, note=note, **step.inputs)
    assert case is not None
    if step.action == "delivery":
        return services.case_record_delivery(
            case=case, actor=actor, notice=step.inputs["notice"], delivered_on=step.on, note=note
        )
    if step.action == "extend" and extension_actor is not None:
        actor = extension_actor
    service = services.ACTION_SERVICES[step.action]
    extra = {}
    if step.action in _HELD_FOR_DOCUMENTS:
        # A past answer or extension is not held until a document is issued (cases.hooks
        # deferrals): its document went out long ago, outside the system.
        extra["defer"] = False
    return service(case=case, actor=actor, on=step.on, note=note, **step.inputs, **extra)


def _refusal(row: LedgerRow, step: Step, err: ApplicationError) -> list[RowError]:
    """Bad input is reported field by field; any other refusal (a rule of the lifecycle, the
    period lock) with its whole message, at the column of the first field it names."""
    what = "" if step.action in ("register", "delivery") else f"{actions.label(step.action)}："
    if isinstance(err, InvalidInput) and err.fields:
        return [
            _error(row, step.fields.get(name, step.column), f"{what}{message}")
            for name, message in err.fields.items()
        ]
    named = [step.fields[name] for name in err.fields or {} if name in step.fields]
    return [_error(row, named[0] if named else step.column, f"{what}{err.message}")]


def _error(row: LedgerRow, column: str, message: str) -> RowError:
    return RowError(row.row, column, as_text(row.raw.get(column)), message)
