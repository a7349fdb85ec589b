"""The actions that end a case or follow the reply: lapse, withdrawal, archiving."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..errors import (
    TransitionRefused,
)
from ..models import (
    Case,
    CaseState,
    User,
)
from .base import (
    _begin,
    _run,
    _step_date,
)
from .steps import (
    _concluded_late,
    _dated_action,
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
        # The period runs from the notice's delivery (or, until it is recorded, its issue):
        # a lapse before it ran out is refused, naming the first day it is possible.
        mark = "（该日期跨入尚未录入国务院节假日安排的年度，为暂定）" if provisional else ""
        possible = period_end + dt.timedelta(days=1)
        message = f"{what}至{period_end:%Y-%m-%d}{mark}届满，自{possible:%Y-%m-%d}起方可登记逾期"
        raise TransitionRefused(message, fields={"on": message}, code="period_running")
    case.answered_late = _concluded_late(case, on)
    return _run(case, actor=actor, action="lapse", on=on, note=note, data={})


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
