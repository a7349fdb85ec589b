"""The building blocks every case service uses: access, the row lock and version check,
the step date, the deadlines, and the one path that saves a change with its audit event."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError

from .. import actions, clock, hooks, limits, permissions
from ..calendar import work_calendar
from ..deadlines import (
    CaseFacts,
    Consultation,
    Deadlines,
    compute_deadlines,
)
from ..errors import (
    ConcurrentChange,
    InvalidInput,
    NotFound,
    NotPermitted,
    TransitionRefused,
    validation_error_fields,
)
from ..models import (
    Agency,
    Case,
    CaseEvent,
    User,
)
from ..workdays import WorkCalendar

log = logging.getLogger(__name__)


# The applicant's data, given at registration.
REGISTRATION_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "contact_phone",
    "contact_email",
    "contact_address",
    "postal_code",
    "channel",
    "received_on",
    "description",
    "delivery_form",
    "assigned_handler",
)
# The channel's facts of Art. 31 (cases.receipt), from which received_on is derived.
RECEIPT_FIELDS = ("mail_type", "submitted_on", "signed_on", "arrived_on", "confirmed_on")
# The answer's content: written by those who may answer, and only they may rewrite it.
ANSWER_FIELDS = ("reply", "legal_basis", "reason")
# Data fields a PATCH may change. State, outcome and the step dates change only through actions.
EDITABLE_FIELDS = (*REGISTRATION_FIELDS, *RECEIPT_FIELDS, *ANSWER_FIELDS)


def action_label(action: str) -> str:
    return actions.label(action)


# Building blocks


def _invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput("；".join(fields.values()), fields=fields)


# What cleaning a case leaves out. The protected state field: cleaning would assign it. The
# related users and agency: the services load and check them (same agency, role, active) before
# they reach the case, so the existence query per relation and per clean adds nothing. The
# reference: the counter hands out each one once, and its unique index stands behind it.
_CASE_CLEAN_EXCLUDE = [
    "state",
    "agency",
    "assigned_handler",
    "created_by",
    "extension_approved_by",
    "reference",
    # Set by the services from a row they just read or created.
    "applicant",
]


def _full_clean(instance: Case | Agency, **kwargs: Any) -> None:
    exclude = None
    if isinstance(instance, Case):
        exclude = _CASE_CLEAN_EXCLUDE
        # The check constraints are the transitions' invariants: Case.clean() states them in
        # Python (no query) and the database enforces them at the INSERT or UPDATE.
        kwargs.setdefault("validate_constraints", False)
    try:
        instance.full_clean(exclude=exclude, **kwargs)
    except ValidationError as err:
        raise _invalid(validation_error_fields(err)) from None


def _check_agency_access(actor: User, action: str, agency_id: int) -> None:
    if not actor.may_see(agency_id):
        raise NotFound("申请不存在或不属于您所在的机关")
    if not actor.may_act(action, agency_id):
        allowed = permissions.allowed_roles_text(action)
        raise NotPermitted(f"您的角色无权执行“{action_label(action)}”（限{allowed}）")


def _lock(case: Case, expected_version: int | None) -> Case:
    """Re-read the case under a row lock; refuse if it changed since the caller read it."""
    try:
        locked = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist:
        raise NotFound("申请不存在") from None
    if locked.version != case.version or (
        expected_version is not None and locked.version != expected_version
    ):
        raise ConcurrentChange(
            "该申请已被他人修改，请刷新后重试", fields={"version": str(locked.version)}
        )
    return locked


def _begin(case: Case, actor: User, action: str, expected_version: int | None) -> Case:
    _check_agency_access(actor, action, case.agency_id)
    case = _lock(case, expected_version)
    meta = getattr(Case, action)._django_fsm
    if not meta.has_transition(case.state):
        # A transition may say why it is refused in a given state (custom "refused_in").
        refused_in = next(iter(meta.transitions.values())).custom.get("refused_in", {})
        raise TransitionRefused(
            refused_in.get(case.state)
            or f"申请当前状态为“{case.get_state_display()}”，不能执行“{action_label(action)}”"
        )
    for condition in meta.get_transition(case.state).conditions:
        if not condition(case):
            raise TransitionRefused(condition.refusal)
    return case


def _step_date(case: Case, on: dt.date | None) -> dt.date:
    """The date an action happened: given by the user, never future, never before the last step."""
    on = on or clock.today()
    if on > clock.today():
        raise _invalid({"on": "日期不能晚于今天"})
    if on < limits.EARLIEST_DATE:
        raise _invalid({"on": limits.EARLIEST_DATE_MESSAGE})
    if on < case.received_on:
        raise _invalid({"on": f"日期不能早于收到申请日期（{case.received_on:%Y-%m-%d}）"})
    latest = case.latest_step_on
    if on < latest:
        raise _invalid({"on": f"日期不能早于上一步骤的日期（{latest:%Y-%m-%d}）"})
    return on


DEADLINE_FIELDS = (
    "due_on",
    "due_on_provisional",
    "correction_notice_due_on",
    "correction_notice_due_on_provisional",
    "correction_due_on",
    "correction_due_on_provisional",
    "opinion_due_on",
    "opinion_due_on_provisional",
    "fee_due_on",
    "fee_due_on_provisional",
)


CONSULTATION_FACTS = ("sent_on", "opinion_received_on", "party_kind")


def case_facts(case: Case, consultations=None) -> CaseFacts:
    """The facts the statutory clock depends on, as stored: the case and its consultations
    (``consultations``, when the caller read them for many cases at once: the rounds'
    CONSULTATION_FACTS in order)."""
    rounds = consultations if consultations is not None else []
    if consultations is None and case.pk is not None:
        rounds = case.consultations.order_by("round").values_list(*CONSULTATION_FACTS)
    return CaseFacts(
        received_on=case.received_on,
        correction_requested_on=case.correction_requested_on,
        correction_period_days=case.correction_period_days,
        correction_received_on=case.correction_received_on,
        consultations=tuple(Consultation(*round_) for round_ in rounds),
        fee_notice_on=case.fee_notice_on,
        fee_paid_on=case.fee_paid_on,
        correction_notice_delivered_on=case.correction_notice_delivered_on,
        fee_notice_delivered_on=case.fee_notice_delivered_on,
        extension_days=case.extension_days or 0,
        extended_on=case.extended_on,
        concluded=not case.is_open,
        reasonable_until=case.reasonable_until,
        reasonable_period_on=case.reasonable_period_on,
        fee_computation=case.fee_computation or {},
    )


# The case's fields case_facts reads (state for "concluded"): what a batch recompute loads.
CLOCK_INPUT_FIELDS = (
    "state",
    "received_on",
    "correction_requested_on",
    "correction_period_days",
    "correction_received_on",
    "fee_notice_on",
    "fee_paid_on",
    "correction_notice_delivered_on",
    "fee_notice_delivered_on",
    "extension_days",
    "extended_on",
    "reasonable_until",
    "reasonable_period_on",
    "fee_computation",
)


def case_deadlines(case: Case, cal: WorkCalendar | None = None, consultations=None) -> Deadlines:
    return compute_deadlines(case_facts(case, consultations), cal or work_calendar())


def _deadline_values(deadlines: Deadlines) -> dict[str, Any]:
    return {
        "due_on": deadlines.due_on,
        "due_on_provisional": deadlines.provisional,
        "correction_notice_due_on": deadlines.correction_notice_due_on,
        "correction_notice_due_on_provisional": deadlines.correction_notice_due_provisional,
        "correction_due_on": deadlines.correction_due_on,
        "correction_due_on_provisional": deadlines.correction_due_provisional,
        "opinion_due_on": deadlines.opinion_due_on,
        "opinion_due_on_provisional": deadlines.opinion_due_provisional,
        "fee_due_on": deadlines.fee_due_on,
        "fee_due_on_provisional": deadlines.fee_due_provisional,
    }


def _apply_deadlines(
    case: Case, cal: WorkCalendar | None = None, consultations=None
) -> dict[str, Any]:
    """Recompute the due dates onto the unsaved case; return the changes {field: {from, to}}."""
    diff = {}
    for name, value in _deadline_values(case_deadlines(case, cal, consultations)).items():
        if getattr(case, name) != value:
            diff[name] = {"from": getattr(case, name), "to": value}
            setattr(case, name, value)
    return diff


def _store_deadlines(case: Case, cal: WorkCalendar | None = None) -> dict[str, Any]:
    """Recompute and save the due dates (a recompute outside any action)."""
    diff = _apply_deadlines(case, cal)
    if diff:
        Case.objects.filter(pk=case.pk).update(**{name: d["to"] for name, d in diff.items()})
    return diff


def _commit(
    case: Case,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    on: dt.date | None,
    data: dict[str, Any],
    before: Case | None,
    note: str = "",
) -> Case:
    change = hooks.CaseChange(
        action=action, case=case, before=before, actor=actor, on=on, data=data
    )
    # Other apps may refuse the change (a published year's table must not move).
    hooks.run_checks(change)
    # The due dates follow from the facts as they now stand, and are saved with them.
    diff = _apply_deadlines(case)
    # A step taken settles whatever was proposed and held for a document.
    case.pending_step = {}
    case.version += 1
    _full_clean(case)
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        on=on,
        data=data,
        note=note,
        deadlines=diff,
    )
    hooks.run_reactions(dataclasses.replace(change, event=event))
    return case


def _run(
    case: Case,
    *,
    actor: User,
    action: str,
    on: dt.date,
    note: str,
    data: dict[str, Any],
    **transition_kwargs: Any,
) -> Case:
    from_state, before = case.state, hooks.snapshot(case)
    getattr(case, action)(on=on, **transition_kwargs)
    return _commit(
        case,
        actor=actor,
        action=action,
        from_state=from_state,
        on=on,
        data=data,
        before=before,
        note=note,
    )


def _run_or_hold(
    case: Case,
    *,
    actor: User,
    action: str,
    on: dt.date,
    note: str,
    data: dict[str, Any],
    defer: bool,
    **transition_kwargs: Any,
) -> Case:
    """Run the action, unless another app holds it until a document is issued (a deferral).

    Held, the case keeps its state; the proposal is stored on the case (``pending_step``) and
    in the audit trail as "<action>_proposed", and the case carries ``deferral`` for the
    caller. ``defer=False`` runs it at once: the issued document completing the held step, or
    a step recorded after the fact (historical records, imports), which no document awaits.
    """
    if defer:
        change = hooks.CaseChange(
            action=action, case=case, before=hooks.snapshot(case), actor=actor, on=on, data=data
        )
        deferral = hooks.deferral_for(change)
        if deferral is not None:
            return _hold(case, actor=actor, change=change, note=note, deferral=deferral)
    return _run(case, actor=actor, action=action, on=on, note=note, data=data, **transition_kwargs)


def _hold(
    case: Case, *, actor: User, change: hooks.CaseChange, note: str, deferral: hooks.Deferral
) -> Case:
    case.pending_step = {
        "action": change.action,
        "on": change.on,
        "note": note,
        "data": change.data,
        "document": deferral.pending,
        "message": deferral.message,
    }
    case.version += 1
    case.save(update_fields=["pending_step", "version", "updated_at"])
    case.refresh_from_db()  # drop what the held step set in memory only
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=f"{change.action}_proposed",
        from_state=case.state,
        to_state=case.state,
        on=change.on,
        data=change.data,
        note=note,
    )
    case.deferral = deferral
    return case


def case_record_event(
    *,
    case: Case,
    actor: User | None,
    action: str,
    on: dt.date | None,
    data: dict[str, Any],
    note: str = "",
) -> CaseEvent:
    """An audit row for a step that leaves the case as it is (a document drafted, approved,
    issued; a proof of delivery attached), written in the caller's transaction. The action must
    be one of the audit trail's vocabulary (cases.actions.EVENT_CHOICES)."""
    if action not in dict(actions.EVENT_CHOICES):
        raise ValueError(f"not an audit action: {action!r}")
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_state=case.state,
        to_state=case.state,
        on=on,
        data=data,
        note=note,
    )
