"""Registering a request and editing its data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction

from .. import clock, hooks, limits, permissions
from ..citations import legal_basis_error
from ..errors import (
    NotPermitted,
    TransitionRefused,
)
from ..models import (
    CASEWORK_ROLES,
    Agency,
    Case,
    CaseState,
    ReferenceCounter,
    User,
)
from ..receipt import FACT_FIELDS, derive_received_on
from .applicants import DETAIL_FIELDS, IDENTITY_FIELDS, applicant_link, applicant_volume
from .base import (
    ANSWER_FIELDS,
    EDITABLE_FIELDS,
    _check_agency_access,
    _commit,
    _full_clean,
    _invalid,
    _lock,
)

HANDLER_REFUSED = "承办人必须是本机关在职的承办人、负责人或管理员"


def _check_handler(agency_id: int, handler: User | None, field: str = "assigned_handler") -> None:
    if handler is None:
        return
    if (
        handler.agency_id != agency_id
        or handler.role not in CASEWORK_ROLES
        or not handler.is_active
    ):
        raise _invalid({field: HANDLER_REFUSED})


def handler_by_id(
    agency_id: int, user_id: int | None, field: str = "assigned_handler"
) -> User | None:
    """The user an API request names as handler, or None for none.

    An unknown id and another agency's user get the same refusal as _check_handler gives, so
    that ids cannot be probed for which users exist elsewhere.
    """
    if user_id is None:
        return None
    handler = None
    if 1 <= user_id <= limits.BIGINT_MAX:
        handler = User.objects.filter(pk=user_id, agency_id=agency_id).first()
    if handler is None:
        raise _invalid({field: HANDLER_REFUSED})
    _check_handler(agency_id, handler, field)
    return handler


def _next_reference(agency: Agency, year: int) -> str:
    """The agency's next number for the year, in one statement.

    The upsert creates the counter or increments it and keeps its row locked until the
    registration commits: a racing registration waits, and a rolled-back one gives its number
    back, so references stay unique and without gaps.
    """
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, last_value) VALUES (%s, %s, 1) "
            "ON CONFLICT (agency_id, year) DO UPDATE SET last_value = "
            f"{table}.last_value + 1 RETURNING last_value",
            [agency.pk, year],
        )
        (value,) = cursor.fetchone()
    return f"{agency.code}-{year}-{value:05d}"


def _receipt(case: Case, *, received_on: dt.date | None, stored: dt.date | None = None) -> None:
    """Art. 31: the date of receipt from the channel's facts (cases.receipt); a date given with
    facts that contradict it is refused, naming the rule. On an edit, facts that do not give a
    date leave the ``stored`` one standing."""

    def derive(day):
        return derive_received_on(
            channel=case.channel,
            received_on=day,
            today=clock.today(),
            earliest=limits.EARLIEST_DATE,
            **{name: getattr(case, name) for name in FACT_FIELDS},
        )

    receipt, errors = derive(received_on)
    if errors and received_on is None and stored is not None:
        receipt, errors = derive(stored)
    if errors:
        raise _invalid(errors)
    case.received_on = receipt.received_on


def _link_applicant(case: Case, actor: User) -> None:
    """The case's applicant, and the Art. 35 count of the applicant's requests in the window."""
    case.applicant = applicant_link(case=case, actor=actor)
    others = applicant_volume(
        applicant=case.applicant, received_on=case.received_on, exclude_case=case.pk
    )
    case.volume_count = others + 1
    case.volume_flag = case.volume_count > case.agency.volume_threshold


# Registration and data edits


@transaction.atomic
def case_register(
    *,
    actor: User,
    agency: Agency,
    applicant_type: str,
    applicant_name: str,
    id_type: str,
    id_number: str,
    channel: str,
    description: str,
    received_on: dt.date | None = None,
    mail_type: str = "",
    submitted_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    arrived_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    postal_code: str = "",
    delivery_form: str = "",
    assigned_handler: User | None = None,
    note: str = "",
) -> Case:
    """登记: the request, its Art. 31 date of receipt (derived from the channel's facts when
    they are given) and its applicant (linked by identity document, or created)."""
    _check_agency_access(actor, "register", agency.pk)
    _check_handler(agency.pk, assigned_handler)
    case = Case(
        agency=agency,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        id_type=id_type,
        id_number=id_number,
        channel=channel,
        description=description,
        mail_type=mail_type,
        submitted_on=submitted_on,
        signed_on=signed_on,
        arrived_on=arrived_on,
        confirmed_on=confirmed_on,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_address=contact_address,
        postal_code=postal_code,
        delivery_form=delivery_form,
        assigned_handler=assigned_handler,
        created_by=actor,
    )
    _receipt(case, received_on=received_on)
    _full_clean(case, validate_constraints=False)
    case.register(reference=_next_reference(agency, case.received_on.year))
    _link_applicant(case, actor)
    data = {
        "reference": case.reference,
        "applicant_type": applicant_type,
        "applicant_name": case.applicant_name,
        "id_type": id_type,
        "channel": channel,
        "received_on": case.received_on,
        **{name: getattr(case, name) for name in FACT_FIELDS if getattr(case, name)},
    }
    if case.volume_flag:  # Art. 35: recorded when raised (the applicant's trail has the link)
        data["volume_count"] = case.volume_count
    return _commit(
        case,
        actor=actor,
        action="register",
        from_state=CaseState.NEW,
        on=case.received_on,
        data=data,
        before=None,
        note=note,
    )


def _audit_value(value: Any) -> Any:
    if isinstance(value, User):
        return value.username
    return value


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
    note: str = "",
) -> Case:
    """Edit data fields (never the state). A no-op edit writes nothing."""
    not_editable = sorted(set(changes) - set(EDITABLE_FIELDS))
    if not_editable:
        raise _invalid({name: "该字段不能直接修改，请使用相应的办理操作" for name in not_editable})
    _check_agency_access(actor, "update", case.agency_id)
    case = _lock(case, expected_version)
    # Re-sending an answer field unchanged (a client echoing what it read) is not rewriting it.
    answer_fields = [n for n in ANSWER_FIELDS if n in changes and changes[n] != getattr(case, n)]
    if answer_fields and not actor.may_act("answer", case.agency_id):
        allowed = permissions.allowed_roles_text("answer")
        raise NotPermitted(
            f"答复内容、法律依据和理由只能由{allowed}或平台管理员修改",
            fields={name: "您的角色无权修改此项" for name in answer_fields},
        )
    # The file is closed: every edit is refused, even one that would change nothing.
    if case.state == CaseState.ARCHIVED and changes:
        raise TransitionRefused("已归档的申请不能修改", code="case_archived")
    before = hooks.snapshot(case)
    if "assigned_handler" in changes:
        _check_handler(case.agency_id, changes["assigned_handler"])
    basis = (changes.get("legal_basis") or "").strip()
    error = basis and basis != case.legal_basis and legal_basis_error(basis, case.regulations)
    if error:
        raise _invalid({"legal_basis": error})

    diff = {}
    for name, value in changes.items():
        old = getattr(case, name)
        if old != value:
            diff[name] = {"from": _audit_value(old), "to": _audit_value(value)}
            setattr(case, name, value)
    if not diff:
        return case

    if {"channel", "received_on", *FACT_FIELDS} & set(diff):
        explicit = "received_on" in changes
        _receipt(
            case,
            received_on=case.received_on if explicit else None,
            stored=before.received_on,
        )
        if case.received_on != before.received_on and "received_on" not in diff:
            diff["received_on"] = {"from": before.received_on, "to": case.received_on}
    if {*IDENTITY_FIELDS, *DETAIL_FIELDS, "applicant_name"} & set(diff):
        # A corrected identity moves the case to that applicant; new details update it.
        _full_clean(case, validate_constraints=False)
        _link_applicant(case, actor)

    if "received_on" in diff:
        later_steps = [d for f in Case.STEP_DATE_FIELDS[1:] if (d := getattr(case, f)) is not None]
        if later_steps and case.received_on > min(later_steps):
            first = min(later_steps)
            raise _invalid(
                {"received_on": f"收到申请日期不能晚于已办理步骤的日期（{first:%Y-%m-%d}）"}
            )
    return _commit(
        case,
        actor=actor,
        action="update",
        from_state=case.state,
        on=None,
        data=diff,
        before=before,
        note=note,
    )
