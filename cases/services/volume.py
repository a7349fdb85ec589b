"""Art. 35: an applicant whose number or frequency of requests clearly exceeds a reasonable
range may be asked to state reasons; if they are reasonable but no reply is possible within the
Art. 33 period, the office sets a reasonable later reply date and tells the applicant."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..models import Case, User
from .base import _begin, _invalid, _run, _step_date


@transaction.atomic
def case_ask_reasons(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    content: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """要求说明理由 (Art. 35): once per request; the documents app drafts the letter
    (kind ``reasons_request``) from this action where it is installed. The clock runs on."""
    case = _begin(case, actor, "ask_reasons", expected_version)
    on = _step_date(case, on)
    return _run(
        case,
        actor=actor,
        action="ask_reasons",
        on=on,
        note=note,
        data={"content": content, "volume_count": case.volume_count},
        content=content,
    )


@transaction.atomic
def case_set_reasonable_period(
    *,
    case: Case,
    actor: User,
    until: dt.date,
    reason: str,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """确定延迟答复的合理期限 (Art. 35): the reasons given were reasonable, but the reply cannot
    be made within the Art. 33 period: the reply is due on ``until`` instead, which must be
    later than the current deadline. Normally after asking for reasons; an office that asked
    outside the system says so in the reason."""
    case = _begin(case, actor, "set_reasonable_period", expected_version)
    on = _step_date(case, on)
    errors = {}
    if not reason.strip():
        errors["reason"] = "请说明确定该期限的理由"
    if until <= on:
        errors["until"] = "合理期限应晚于确定之日"
    elif case.due_on is not None and until <= case.due_on:
        errors["until"] = (
            f"合理期限应晚于现在的答复期限（{case.due_on:%Y-%m-%d}）；"
            "能在该期限内答复的，无需确定延迟答复的期限"
        )
    if errors:
        raise _invalid(errors)
    data = {
        "until": until,
        "reason": reason,
        "reasons_requested_on": case.reasons_requested_on,
        "due_on_before": case.due_on,
    }
    return _run(
        case,
        actor=actor,
        action="set_reasonable_period",
        on=on,
        note=note,
        data=data,
        until=until,
        reason=reason,
    )
