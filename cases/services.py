"""The only way to change a case: one service per action.

Every service runs in one transaction: it locks the case row, checks the actor's agency and role,
the state, the dates and the input, runs the FSM transition, saves, and writes the audit event.
The API, the admin, management commands and tasks all call these functions.

Order of refusals: another agency's case is "not found" (404), a role without the right is 403,
an action the state does not allow is 409, bad input is 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from reporting.locks import ensure_period_open
from reporting.tables import TableEntry

from . import clock, limits, vocabulary
from .calendar import work_calendar
from .citations import legal_basis_error
from .deadlines import (
    CaseFacts,
    Consultation,
    Deadlines,
    compute_deadlines,
    fee_rules_apply,
    max_extension_days,
)
from .errors import (
    ConcurrentChange,
    InvalidInput,
    NotFound,
    NotPermitted,
    TransitionRefused,
    validation_error_fields,
)
from .models import (
    ACTION_ROLES,
    CASEWORK_ROLES,
    OPEN_STATES,
    Agency,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Case,
    CaseEvent,
    CaseState,
    DayKind,
    FeeBasis,
    PartyKind,
    ReferenceCounter,
    Role,
    User,
)
from .workdays import WorkCalendar

log = logging.getLogger(__name__)

MAX_EXTENSION_DAYS = (
    20  # Art. 33: the reply period may be extended once, by at most 20 working days
)
MAX_CORRECTION_PERIOD_DAYS = 60

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
# The answer's content: written by those who may answer, and only they may rewrite it.
ANSWER_FIELDS = ("reply", "legal_basis", "reason")
# Data fields a PATCH may change. State, outcome and the step dates change only through actions.
EDITABLE_FIELDS = (*REGISTRATION_FIELDS, *ANSWER_FIELDS)


def action_label(action: str) -> str:
    if action == "update":
        return "修改申请信息"
    if action == "recompute_deadlines":
        return "重新计算期限"
    transitions = getattr(Case, action)._django_fsm.transitions.values()
    return next(iter(transitions)).custom["label"]


# Building blocks


def _invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput("；".join(fields.values()), fields=fields)


def _full_clean(instance: Case | Agency, **kwargs: Any) -> None:
    # The protected state field must be left out: cleaning would assign it.
    exclude = ["state"] if isinstance(instance, Case) else None
    try:
        instance.full_clean(exclude=exclude, **kwargs)
    except ValidationError as err:
        raise _invalid(validation_error_fields(err)) from None


def _check_agency_access(actor: User, action: str, agency_id: int) -> None:
    if not actor.may_see(agency_id):
        raise NotFound("申请不存在或不属于您所在的机关")
    if not actor.may_act(action, agency_id):
        allowed = "、".join(Role(r).label for r in sorted(ACTION_ROLES[action]))
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
            raise TransitionRefused(condition.__doc__.strip())
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


def case_facts(case: Case) -> CaseFacts:
    """The facts the statutory clock depends on; consultation rounds come from the audit trail."""
    rounds: list[list] = []
    events = case.events.filter(action__in=["consult", "receive_opinion"]).order_by("id")
    for action, on, data in events.values_list("action", "on", "data"):
        if action == "consult":
            rounds.append([on, None, data.get("party_kind") or PartyKind.THIRD_PARTY])
        elif rounds:
            rounds[-1][1] = on
    return CaseFacts(
        received_on=case.received_on,
        correction_requested_on=case.correction_requested_on,
        correction_period_days=case.correction_period_days,
        correction_received_on=case.correction_received_on,
        consultations=tuple(Consultation(*round_) for round_ in rounds),
        fee_notice_on=case.fee_notice_on,
        fee_paid_on=case.fee_paid_on,
        extension_days=case.extension_days or 0,
        extended_on=case.extended_on,
        concluded=not case.is_open,
    )


def case_deadlines(case: Case, cal: WorkCalendar | None = None) -> Deadlines:
    return compute_deadlines(case_facts(case), cal or work_calendar())


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


def _store_deadlines(case: Case, cal: WorkCalendar | None = None) -> dict[str, Any]:
    """Recompute and save the due dates; return what changed as {field: {from, to}}."""
    diff = {}
    for name, value in _deadline_values(case_deadlines(case, cal)).items():
        if getattr(case, name) != value:
            diff[name] = {"from": getattr(case, name), "to": value}
            setattr(case, name, value)
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
    before: TableEntry | None,
    note: str = "",
) -> Case:
    # A change that would alter a published year's annual table is refused (period lock).
    ensure_period_open(agency_id=case.agency_id, before=before, after=TableEntry.of(case))
    case.version += 1
    _full_clean(case)
    case.save()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        on=on,
        data=data,
        note=note,
    )
    _store_deadlines(case)
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
    from_state, before = case.state, TableEntry.of(case)
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
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
                    agency=agency, year=year
                )
                break
        except IntegrityError:  # two first registrations of a year raced to create the counter
            continue
    else:  # pragma: no cover - the third attempt always finds the row
        raise ConcurrentChange("编号分配冲突，请重试")
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{agency.code}-{year}-{counter.last_value:05d}"


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
    received_on: dt.date,
    description: str,
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    postal_code: str = "",
    delivery_form: str = "",
    assigned_handler: User | None = None,
    note: str = "",
) -> Case:
    _check_agency_access(actor, "register", agency.pk)
    _check_handler(agency.pk, assigned_handler)
    case = Case(
        agency=agency,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        id_type=id_type,
        id_number=id_number,
        channel=channel,
        received_on=received_on,
        description=description,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_address=contact_address,
        postal_code=postal_code,
        delivery_form=delivery_form,
        assigned_handler=assigned_handler,
        created_by=actor,
    )
    _full_clean(case, validate_constraints=False)
    case.register(reference=_next_reference(agency, received_on.year))
    data = {
        "reference": case.reference,
        "applicant_type": applicant_type,
        "applicant_name": case.applicant_name,
        "id_type": id_type,
        "channel": channel,
        "received_on": received_on,
    }
    return _commit(
        case,
        actor=actor,
        action="register",
        from_state=CaseState.NEW,
        on=received_on,
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
        allowed = "、".join(Role(r).label for r in sorted(ACTION_ROLES["answer"]))
        raise NotPermitted(
            f"答复内容、法律依据和理由只能由{allowed}或平台管理员修改",
            fields={name: "您的角色无权修改此项" for name in answer_fields},
        )
    # The file is closed: every edit is refused, even one that would change nothing.
    if case.state == CaseState.ARCHIVED and changes:
        raise TransitionRefused("已归档的申请不能修改", code="case_archived")
    before = TableEntry.of(case)
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


# Lifecycle actions


@transaction.atomic
def case_request_correction(
    *,
    case: Case,
    actor: User,
    items: str,
    on: dt.date | None = None,
    period_days: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """补正告知 (Art. 30): once, listing everything to correct and a reasonable period; before
    or after review, but not once a consultation or a fee notice has begun (cases.models)."""
    case = _begin(case, actor, "request_correction", expected_version)
    on = _step_date(case, on)
    if not items.strip():
        raise _invalid({"items": "请列明需要补正的事项"})
    if period_days is None:
        period_days = settings.CORRECTION_PERIOD_DAYS
    if not 1 <= period_days <= MAX_CORRECTION_PERIOD_DAYS:
        raise _invalid({"period_days": f"补正期限应为1至{MAX_CORRECTION_PERIOD_DAYS}个工作日"})
    return _run(
        case,
        actor=actor,
        action="request_correction",
        on=on,
        note=note,
        data={"items": items, "period_days": period_days},
        items=items,
        period_days=period_days,
    )


@transaction.atomic
def case_review(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    handler: User | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    case = _begin(case, actor, "review", expected_version)
    on = _step_date(case, on)
    if handler is None and case.assigned_handler_id is None and actor.agency_id == case.agency_id:
        handler = actor  # whoever reviews an unassigned case takes it on
    _check_handler(case.agency_id, handler, field="handler")
    data = {"handler": handler.username if handler else None}
    return _run(case, actor=actor, action="review", on=on, note=note, data=data, handler=handler)


@transaction.atomic
def case_consult(
    *,
    case: Case,
    actor: User,
    party: str,
    on: dt.date | None = None,
    party_kind: str = PartyKind.THIRD_PARTY,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """征求意见: a third party (Art. 32) or another agency (Art. 34), and the day it was sent.

    Begun after the reply deadline it is allowed (the office still has to decide) but adds no
    time; under the 2008 text only consulting a third party stops the clock.
    """
    case = _begin(case, actor, "consult", expected_version)
    on = _step_date(case, on)
    errors = {}
    if not party.strip():
        errors["party"] = "请填写征求意见的第三方或机关"
    if party_kind not in PartyKind.values:
        errors["party_kind"] = "征求意见对象类别应为 third_party（第三方）或 agency（其他机关）"
    if errors:
        raise _invalid(errors)
    return _run(
        case,
        actor=actor,
        action="consult",
        on=on,
        note=note,
        data={"party": party, "party_kind": party_kind},
        party=party,
        party_kind=party_kind,
    )


@transaction.atomic
def case_receive_opinion(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    opinion: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The opinion arrived, or the consultation period ran out (then the opinion may be empty)."""
    case = _begin(case, actor, "receive_opinion", expected_version)
    on = _step_date(case, on)
    return _run(
        case,
        actor=actor,
        action="receive_opinion",
        on=on,
        note=note,
        data={"opinion": opinion},
        opinion=opinion,
    )


@transaction.atomic
def case_issue_fee_notice(
    *,
    case: Case,
    actor: User,
    basis: str,
    amount: Decimal,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """收费通知 (Art. 42; 国办函〔2020〕109号): one basis per request, never both; only where
    109号 applies, and within the reply period."""
    case = _begin(case, actor, "issue_fee_notice", expected_version)
    on = _step_date(case, on)
    if why_not := fee_rules_apply(received_on=case.received_on, on=on):
        raise TransitionRefused(why_not, code="fee_rules_not_applicable")
    _refuse_after_deadline(case, on, "收费通知")
    errors = {}
    if basis not in FeeBasis.values:
        errors["basis"] = "收费方式应为 per_item（按件）或 per_page（按量）"
    if amount is None or amount <= 0:
        errors["amount"] = "收费金额应大于0"
    elif amount > limits.FEE_AMOUNT_MAX:
        errors["amount"] = f"收费金额不能超过{limits.FEE_AMOUNT_MAX}元"
    if errors:
        raise _invalid(errors)
    return _run(
        case,
        actor=actor,
        action="issue_fee_notice",
        on=on,
        note=note,
        data={"basis": basis, "amount": str(amount)},
        basis=basis,
        amount=amount,
    )


@transaction.atomic
def case_extend(
    *,
    case: Case,
    actor: User,
    working_days: int,
    reason: str,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """延期 (Art. 33): once, at most 20 working days, approved by the head of the office and
    told to the applicant within the reply period."""
    case = _begin(case, actor, "extend", expected_version)
    on = _step_date(case, on)
    _refuse_after_deadline(case, on, "延期答复")
    errors = {}
    limit = max_extension_days(case.received_on)  # 20 (Art. 33), 15 before 2019-05-15
    if not 1 <= working_days <= limit:
        errors["working_days"] = f"延长期限应为1至{limit}个工作日"
    if not reason.strip():
        errors["reason"] = "请说明延期理由"
    if errors:
        raise _invalid(errors)
    return _run(
        case,
        actor=actor,
        action="extend",
        on=on,
        note=note,
        data={"working_days": working_days, "reason": reason},
        working_days=working_days,
        reason=reason,
        approver=actor,
    )


@transaction.atomic
def case_answer(
    *,
    case: Case,
    actor: User,
    outcome: str,
    on: dt.date | None = None,
    reply: str = "",
    reason: str = "",
    legal_basis: str | None = None,
    delivery: str = "",
    competent_agency: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """答复: any outcome except those that only withdraw and lapse record.

    The legal basis defaults to the outcome's articles in the text that applies to the case (2019
    or 2008) and may be edited; a basis typed by hand must cite articles that exist there.
    """
    case = _begin(case, actor, "answer", expected_version)
    on = _step_date(case, on)
    legal_basis = _check_outcome(
        case,
        outcome=outcome,
        reason=reason,
        legal_basis=legal_basis,
        competent_agency=competent_agency,
    )
    case.answered_late = _concluded_late(case, on)
    data = {
        "outcome": outcome,
        "reply": reply,
        "reason": reason,
        "legal_basis": legal_basis,
        "delivery": delivery,
        "competent_agency": competent_agency,
    }
    return _run(case, actor=actor, action="answer", on=on, note=note, data=data, **data)


def _check_outcome(
    case: Case, *, outcome: str, reason: str, legal_basis: str | None, competent_agency: str
) -> str:
    """Refuse an outcome that does not fit the case; return the legal basis to record."""
    if outcome not in vocabulary.LEGAL_BASIS:
        raise _invalid({"outcome": "办理结果无效"})
    if outcome in vocabulary.OUTCOMES_NOT_ANSWERABLE:
        raise _invalid(
            {"outcome": "撤回、逾期不补正、逾期不缴费请使用“申请人撤回”或“逾期终止”操作"}
        )
    errors = {}
    if outcome in vocabulary.OUTCOMES_NEEDING_REASON and not reason.strip():
        errors["reason"] = "不予公开或部分公开的，必须说明理由"
    if outcome == vocabulary.UNCLEAR_AFTER_CORRECTION and case.correction_requested_on is None:
        # Art. 30: only a request that stays unclear after a correction notice.
        errors["outcome"] = "“补正后申请内容仍不明确”只适用于已发出补正告知的申请"
    if outcome == vocabulary.NOT_RESPONSIBLE and not reason.strip():
        errors["reason"] = "不属于本机关负责公开的，应说明理由"
    if competent_agency and outcome != vocabulary.NOT_RESPONSIBLE:
        errors["competent_agency"] = "只有“不属于本机关负责公开”的答复才告知负责公开的机关"
    typed = (legal_basis or "").strip()
    if typed:
        if error := legal_basis_error(typed, regulations=case.regulations):
            errors["legal_basis"] = error
    elif outcome in vocabulary.OUTCOMES_WITHOUT_DEFAULT_BASIS:
        errors["legal_basis"] = "该办理结果没有默认的法律依据，请填写据以作出答复的依据"
    if errors:
        raise _invalid(errors)
    return typed or vocabulary.default_legal_basis(outcome, regulations=case.regulations)


def _concluded_late(case: Case, on: dt.date) -> bool:
    # A case concluded after the reply deadline it had is marked as answered late.
    return case.due_on is not None and on > case.due_on


def _refuse_after_deadline(case: Case, on: dt.date, what: str) -> None:
    """Art. 33 and 109号: an extension or a fee notice is made within the reply period."""
    if case.due_on is not None and on > case.due_on:
        raise TransitionRefused(
            f"答复期限已于{case.due_on:%Y-%m-%d}届满，不能再作出{what}",
            fields={"on": f"应不晚于{case.due_on:%Y-%m-%d}"},
            code="deadline_passed",
        )


def _dated_action(action: str, doc: str):
    """A service for an action that records only its date (and an optional note)."""

    @transaction.atomic
    def service(
        *,
        case: Case,
        actor: User,
        on: dt.date | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> Case:
        case = _begin(case, actor, action, expected_version)
        on = _step_date(case, on)
        return _run(case, actor=actor, action=action, on=on, note=note, data={})

    service.__name__ = service.__qualname__ = f"case_{action}"
    service.__doc__ = doc
    return service


case_receive_correction = _dated_action(
    "receive_correction",
    "The corrected request arrived (Art. 30): the case is registered again, or reviewed again "
    "when the notice was sent after review (its handler keeps it).",
)


@transaction.atomic
def case_lapse(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The applicant let the correction (Art. 30) or payment (国办函〔2020〕109号) period pass:
    the office stops handling the request. Refused while the period is still running."""
    case = _begin(case, actor, "lapse", expected_version)
    on = _step_date(case, on)
    if case.state == CaseState.AWAITING_CORRECTION:
        period_end, what = case.correction_due_on, "补正期限"
        provisional = case.correction_due_on_provisional
    else:
        period_end, what = case.fee_due_on, "缴费期限"
        provisional = case.fee_due_on_provisional
    if period_end and on <= period_end:
        mark = "（该日期跨入尚未录入国务院节假日安排的年度，为暂定）" if provisional else ""
        raise _invalid({"on": f"{what}至{period_end:%Y-%m-%d}{mark}届满，届满后方可登记逾期"})
    case.answered_late = _concluded_late(case, on)
    return _run(case, actor=actor, action="lapse", on=on, note=note, data={})


@transaction.atomic
def case_receive_payment(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    late_reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The fee was paid; review resumes.

    国办函〔2020〕109号: a fee not paid within 20 working days of the notice means the request is
    given up. A later payment is refused unless an agency admin records why it is accepted; the
    time not counted still ends with the payment period (cases.deadlines).
    """
    case = _begin(case, actor, "receive_payment", expected_version)
    on = _step_date(case, on)
    late = case.fee_due_on is not None and on > case.fee_due_on
    if late and not late_reason.strip():
        raise TransitionRefused(
            f"缴费期限已于{case.fee_due_on:%Y-%m-%d}届满，逾期未缴费视为放弃申请；"
            "如确有正当理由接受逾期缴费，须由机关管理员登记理由",
            fields={"on": f"缴费期限最后一日为{case.fee_due_on:%Y-%m-%d}"},
            code="payment_period_ended",
        )
    if late_reason.strip() and not (actor.is_platform_admin or actor.role == Role.AGENCY_ADMIN):
        raise NotPermitted("只有机关管理员可以接受逾期缴费")
    data = {"late_reason": late_reason} if late else {}
    return _run(case, actor=actor, action="receive_payment", on=on, note=note, data=data)


@transaction.atomic
def case_withdraw(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The applicant withdrew the request (any open state)."""
    case = _begin(case, actor, "withdraw", expected_version)
    on = _step_date(case, on)
    case.answered_late = _concluded_late(case, on)
    return _run(case, actor=actor, action="withdraw", on=on, note=note, data={})


case_archive = _dated_action("archive", "The answered case is filed.")


# The action services by transition name, for the interfaces that dispatch on it.
ACTION_SERVICES = {
    "request_correction": case_request_correction,
    "receive_correction": case_receive_correction,
    "lapse": case_lapse,
    "review": case_review,
    "consult": case_consult,
    "receive_opinion": case_receive_opinion,
    "issue_fee_notice": case_issue_fee_notice,
    "receive_payment": case_receive_payment,
    "extend": case_extend,
    "answer": case_answer,
    "withdraw": case_withdraw,
    "archive": case_archive,
}


def allowed_actions(case: Case, user: User) -> list[str]:
    """The actions the user may take on the case now (no query)."""
    result = []
    for name in ACTION_SERVICES:
        meta = getattr(Case, name)._django_fsm
        if not meta.has_transition(case.state) or not user.may_act(name, case.agency_id):
            continue
        if all(cond(case) for cond in meta.get_transition(case.state).conditions):
            result.append(name)
    return result


def refused_actions(case: Case, user: User) -> dict[str, str]:
    """Why an action the user's role may take is not offered on this case, where the case's
    history explains it (e.g. a correction after a consultation); no query. A screen shows it
    so that a missing button does not leave the clerk guessing."""
    result = {}
    for name in ACTION_SERVICES:
        if not user.may_act(name, case.agency_id):
            continue
        meta = getattr(Case, name)._django_fsm
        if not meta.has_transition(case.state):
            refused_in = next(iter(meta.transitions.values())).custom.get("refused_in", {})
            if case.state in refused_in:
                result[name] = refused_in[case.state]
            continue
        for condition in meta.get_transition(case.state).conditions:
            if not condition(case):
                result[name] = condition.__doc__.strip()
                break
    return result


@transaction.atomic
def case_recompute_deadlines(
    *, case: Case, reason: str, cal: WorkCalendar | None = None, actor: User | None = None
) -> dict[str, Any]:
    """Recompute the stored due dates (e.g. after a calendar change) and audit any change."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    diff = _store_deadlines(case, cal)
    if diff:
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            action="recompute_deadlines",
            from_state=case.state,
            to_state=case.state,
            data=diff,
            note=reason,
        )
    return diff


# The working-day calendar
#
# The State Council's holiday notice is national, so one calendar serves every agency and only
# platform admins change it. Every change writes a CalendarChange in its own transaction (the
# outbox of the recompute it needs); the recompute is queued once committed and, should the
# broker be down, picked up by the periodic job instead.


def _check_calendar_admin(actor: User) -> None:
    if not actor.is_platform_admin:
        raise NotPermitted("节假日安排全国统一（国务院通知），由平台管理员维护")


def _record_calendar_change(*, actor: User | None, years, description: str) -> CalendarChange:
    change = CalendarChange.objects.create(
        actor=actor, years=sorted(set(years)), description=description[:300]
    )
    transaction.on_commit(lambda: enqueue_calendar_change(change.pk))
    return change


def enqueue_calendar_change(change_id: int) -> bool:
    """Hand the recompute to a worker; if the broker is unreachable, leave it to the periodic job.

    Never raises: the change itself is committed and its CalendarChange row is pending.
    """
    from .tasks import process_calendar_change

    try:
        process_calendar_change.apply_async(kwargs={"change_id": change_id}, retry=False)
    except Exception:  # the broker's errors vary by transport; none may undo the change
        log.warning(
            "Calendar change %s: broker unavailable, the periodic job will recompute",
            change_id,
            exc_info=True,
        )
        return False
    return True


def _save_calendar_entry(*, actor: User, entry, year_of, description: str):
    """Save a CalendarDay or CalendarYear and record the change for every year it touches."""
    _check_calendar_admin(actor)
    _full_clean(entry)
    years = {year_of(entry)}
    if entry.pk is not None:
        before = type(entry).objects.select_for_update().filter(pk=entry.pk).first()
        if before is not None:
            years.add(year_of(before))
    entry.save()
    _record_calendar_change(actor=actor, years=years, description=f"{description}：{entry}")
    return entry


@transaction.atomic
def calendar_day_save(*, actor: User, day: CalendarDay) -> CalendarDay:
    """Add or change a holiday or an adjusted working day (调休)."""
    return _save_calendar_entry(
        actor=actor, entry=day, year_of=lambda d: d.date.year, description="修改节假日安排"
    )


@transaction.atomic
def calendar_day_delete(*, actor: User, days) -> int:
    _check_calendar_admin(actor)
    days = list(days)
    if not days:
        return 0
    years = {day.date.year for day in days}
    CalendarDay.objects.filter(pk__in=[day.pk for day in days]).delete()
    listed = "、".join(f"{day.date:%Y-%m-%d}" for day in days[:10])
    more = f"等{len(days)}天" if len(days) > 10 else ""
    _record_calendar_change(actor=actor, years=years, description=f"删除节假日安排：{listed}{more}")
    return len(days)


def calendar_notice_missing(year: int) -> str | None:
    """What is missing before a year's notice can be marked loaded, or None.

    A State Council notice always has holidays and adjusted working days: a year with none of
    either entered is an unfinished entry, and marking it loaded would fix wrong deadlines.
    """
    kinds = set(CalendarDay.objects.filter(date__year=year).values_list("kind", flat=True))
    missing = [str(label) for kind, label in DayKind.choices if kind not in kinds]
    if missing:
        return f"尚未录入{year}年的{'和'.join(missing)}日期，请先录入国务院通知的全部安排"
    return None


def _check_notice_entered(year: int) -> None:
    if message := calendar_notice_missing(year):
        raise _invalid({"year": message})


@transaction.atomic
def calendar_year_save(*, actor: User, year: CalendarYear) -> CalendarYear:
    """Mark a year's notice as entered in full: its deadlines stop being provisional."""
    _check_calendar_admin(actor)
    _check_notice_entered(year.year)
    return _save_calendar_entry(
        actor=actor, entry=year, year_of=lambda y: y.year, description="录入节假日安排年度"
    )


@transaction.atomic
def calendar_year_delete(*, actor: User, years) -> int:
    _check_calendar_admin(actor)
    years = list(years)
    if not years:
        return 0
    CalendarYear.objects.filter(pk__in=[y.pk for y in years]).delete()
    numbers = sorted(y.year for y in years)
    _record_calendar_change(
        actor=actor,
        years=numbers,
        description="删除节假日安排年度：" + "、".join(str(n) for n in numbers),
    )
    return len(years)


def calendar_load_from_package(*, seed) -> tuple[list[int], int]:
    """Load the notices the chinesecalendar package knows and the database lacks (a system
    action, no actor), record the change and recompute at once. Returns (years, cases changed).
    """
    with transaction.atomic():
        years = seed(CalendarYear, CalendarDay)
        if not years:
            return [], 0
        listed = "、".join(str(y) for y in years)
        change = CalendarChange.objects.create(
            actor=None, years=years, description=f"录入{listed}年国务院节假日安排"
        )
    return years, calendar_change_process(change_id=change.pk) or 0


def calendar_change_process(*, change_id: int) -> int | None:
    """Recompute the open cases a recorded change may affect; mark it done. Idempotent.

    Returns how many cases' due dates changed, or None when it was already done.
    """
    change = CalendarChange.objects.filter(pk=change_id).first()
    if change is None or change.processed_at is not None:
        return None
    CalendarChange.objects.filter(pk=change_id).update(attempts=models.F("attempts") + 1)
    try:
        changed = recompute_open_deadlines(
            years=change.years, reason=f"{change.description}（变更记录{change.pk}）"
        )
    except Exception as err:
        CalendarChange.objects.filter(pk=change_id).update(last_error=repr(err)[:2000])
        raise
    CalendarChange.objects.filter(pk=change_id, processed_at__isnull=True).update(
        processed_at=timezone.now(), cases_changed=changed, last_error=""
    )
    return changed


def calendar_changes_pending():
    return CalendarChange.objects.filter(processed_at__isnull=True).order_by("pk")


def open_cases_touching(years: list[int]):
    """Open cases whose counting window may reach into these years."""
    first_day = dt.date(min(years), 1, 1)
    return Case.objects.filter(state__in=OPEN_STATES).filter(
        models.Q(due_on__isnull=True) | models.Q(due_on__gte=first_day)
    )


def recompute_open_deadlines(*, years: list[int], reason: str) -> int:
    """Recompute the due dates of the open cases a calendar change may affect; audit changes."""
    cal = work_calendar()
    changed = 0
    for case in open_cases_touching(years).order_by("pk").iterator():
        if case_recompute_deadlines(case=case, reason=reason, cal=cal):
            changed += 1
    return changed


REPAIR_REASON = "定期核对：期限与节假日安排不一致"


def repair_open_deadlines(*, dry_run: bool = False) -> int:
    """Find every open case whose stored due dates disagree with today's calendar; fix them.

    The safety net behind the outbox: whatever went wrong (a lost task, a hand edit of the
    database), the stored dates that reminders and the overdue filters read are made right.
    Returns how many cases were (or, in a dry run, would be) fixed.
    """
    cal = work_calendar()
    fixed = 0
    for case in Case.objects.filter(state__in=OPEN_STATES).order_by("pk").iterator():
        if dry_run:
            values = _deadline_values(case_deadlines(case, cal))
            fixed += any(getattr(case, name) != value for name, value in values.items())
        elif case_recompute_deadlines(case=case, reason=REPAIR_REASON, cal=cal):
            fixed += 1
    if fixed:
        log.warning("Deadline repair: %d open case(s) had stale due dates", fixed)
    return fixed


# Agencies


@transaction.atomic
def agency_create(*, actor: User, code: str, name: str, email: str) -> Agency:
    if not actor.is_platform_admin:
        raise NotPermitted("只有平台管理员可以添加机关")
    agency = Agency(code=code.strip().upper(), name=name.strip(), email=email.strip())
    _full_clean(agency)
    agency.save()
    return agency
