"""The action services by name, and which actions a user may take on a case now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ..errors import TransitionRefused
from ..models import (
    Case,
    CaseEvent,
    User,
)
from ..workdays import WorkCalendar
from .base import (
    _store_deadlines,
)
from .closing import (
    case_archive,
    case_lapse,
    case_withdraw,
)
from .fees import (
    case_issue_fee_notice,
    case_receive_payment,
)
from .steps import (
    case_answer,
    case_consult,
    case_extend,
    case_receive_correction,
    case_receive_opinion,
    case_request_correction,
    case_review,
)
from .volume import case_ask_reasons, case_set_reasonable_period

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
    "ask_reasons": case_ask_reasons,
    "set_reasonable_period": case_set_reasonable_period,
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
                result[name] = condition.refusal
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


@transaction.atomic
def case_complete_pending(*, case: Case, actor: User, on: dt.date, document_id: int) -> Case:
    """Carry out the step held for a document, now that the document is issued on ``on``.

    Called by the app that issues documents, in the issuing transaction: if the step is refused
    now (say, the reply period ran out while the extension notice awaited approval), the issue
    is refused with it and nothing is written.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    pending = locked.pending_step or {}
    if (pending.get("document") or {}).get("id") != document_id:
        raise TransitionRefused("该文书没有待完成的办理事项")
    service = ACTION_SERVICES[pending["action"]]
    return service(
        case=locked,
        actor=actor,
        on=on,
        note=pending.get("note", ""),
        defer=False,
        **pending["data"],
    )
