"""The lifecycle actions up to the answer: correction, review, consultation, fee, extension."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from .. import vocabulary
from ..actions import MAX_CORRECTION_PERIOD_DAYS
from ..citations import legal_basis_error
from ..deadlines import (
    max_extension_days,
)
from ..errors import (
    TransitionRefused,
)
from ..models import (
    Case,
    PartyKind,
    User,
)
from ..models import Consultation as ConsultationRound
from .base import (
    _begin,
    _invalid,
    _run,
    _run_or_hold,
    _step_date,
)
from .registration import (
    _check_handler,
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
    # A new round: the clock reads it (rolled back with the action if anything refuses it).
    ConsultationRound.objects.create(
        case=case,
        round=case.consultations.count() + 1,
        party=party,
        party_kind=party_kind,
        sent_on=on,
    )
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
    case.consultations.filter(opinion_received_on__isnull=True).update(
        opinion_received_on=on, opinion=opinion
    )
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
def case_extend(
    *,
    case: Case,
    actor: User,
    working_days: int,
    reason: str,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
    defer: bool = True,
) -> Case:
    """延期 (Art. 33): once, at most 20 working days, approved by the head of the office and
    told to the applicant within the reply period. Where the agency issues the extension notice
    only after approval, the extension is held until the notice is issued (202)."""
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
    return _run_or_hold(
        case,
        actor=actor,
        action="extend",
        on=on,
        note=note,
        data={"working_days": working_days, "reason": reason},
        defer=defer,
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
    defer: bool = True,
) -> Case:
    """答复: any outcome except those that only withdraw and lapse record.

    The legal basis defaults to the outcome's articles in the text that applies to the case (2019
    or 2008) and may be edited; a basis typed by hand must cite articles that exist there. Where
    the agency's replies need the head of office's signature, the answer is held until the
    approved reply is issued (202), and takes the date of issue.
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
    return _run_or_hold(
        case,
        actor=actor,
        action="answer",
        on=on,
        note=note,
        data=data,
        defer=defer,
        **data,
    )


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
