"""The delivery (送达) of a notice to the applicant: the applicant's periods run from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .. import clock, hooks
from ..models import Case, User
from .base import _check_agency_access, _commit, _invalid, _lock

# The notices whose delivery starts a period of the applicant's, and the case's fields: the
# notice's date and its delivery date.
NOTICE_FIELDS = {
    "correction_notice": ("correction_requested_on", "correction_notice_delivered_on", "补正告知"),
    "fee_notice": ("fee_notice_on", "fee_notice_delivered_on", "收费通知"),
}


@transaction.atomic
def case_record_delivery(
    *,
    case: Case,
    actor: User,
    notice: str,
    delivered_on: dt.date | None,
    data: dict[str, Any] | None = None,
    note: str = "",
    action: str = "delivery_record",
) -> Case:
    """The day a correction or fee notice reached the applicant (Art. 30; 国办函〔2020〕109号).

    The correction period and the 20 working days to pay run from it instead of from the day the
    notice was issued; the deadlines move with it and the audit event records the change.
    Recording it again corrects it (a later signature date on the post's receipt); None
    withdraws it (the letter came back), and the period runs from the issue again (assumed).
    ``action`` names the audit event: "delivery_record", or "delivery_update" for a correction.
    """
    if action not in ("delivery_record", "delivery_update"):
        raise ValueError(action)
    _check_agency_access(actor, "delivery_record", case.agency_id)
    case = _lock(case, None)
    if notice not in NOTICE_FIELDS:
        raise _invalid({"notice": "只有补正告知和收费通知的送达日期影响申请人的期限"})
    issued_field, delivered_field, name = NOTICE_FIELDS[notice]
    issued_on = getattr(case, issued_field)
    if issued_on is None:
        raise _invalid({"notice": f"本申请没有发出过{name}"})
    if delivered_on is not None and delivered_on < issued_on:
        raise _invalid({"delivered_on": f"送达日期不能早于{name}发出日期（{issued_on:%Y-%m-%d}）"})
    if delivered_on is not None and delivered_on > clock.today():
        raise _invalid({"delivered_on": "送达日期不能晚于今天"})
    before = hooks.snapshot(case)
    setattr(case, delivered_field, delivered_on)
    return _commit(
        case,
        actor=actor,
        action=action,
        from_state=case.state,
        on=delivered_on,
        data={"notice": notice, "delivered_on": delivered_on, **(data or {})},
        before=before,
        note=note,
    )
