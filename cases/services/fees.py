"""The fee notice (收费通知) and the payment (缴费, 减免): Art. 42 and 国办函〔2020〕109号."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models, transaction
from django.db.models import F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from .. import limits
from ..deadlines import fee_rules_apply
from ..errors import InvalidInput, NotPermitted, TransitionRefused
from ..fees import PER_ITEM, compute_fee, quantity_error
from ..models import Case, FeeBasis, Role, User
from .base import _begin, _invalid, _run, _step_date
from .steps import _refuse_after_deadline


def _first_position(case: Case) -> int:
    """109号: items are counted per applicant per calendar month at one agency. This request's
    items come after those of the applicant's requests received earlier in the month (by date
    of receipt, then by registration); a request counts as one item unless its fee notice
    split it into several. One indexed query (applicant, received_on)."""
    if case.applicant_id is None:
        return 1
    month_start = case.received_on.replace(day=1)
    earlier = Case.objects.filter(
        Q(received_on__lt=case.received_on) | Q(received_on=case.received_on, pk__lt=case.pk),
        applicant_id=case.applicant_id,
        received_on__gte=month_start,
    )
    items = models.Case(
        When(fee_basis=PER_ITEM, fee_quantity__isnull=False, then=F("fee_quantity")),
        default=Value(1),
        output_field=models.IntegerField(),
    )
    return earlier.aggregate(n=Coalesce(Sum(items), 0))["n"] + 1


def _check_amount(amount: Decimal | None, errors: dict[str, str]) -> None:
    if amount is not None and amount <= 0:
        errors["amount"] = "收费金额应大于0"
    elif amount is not None and amount > limits.FEE_AMOUNT_MAX:
        errors["amount"] = f"收费金额不能超过{limits.FEE_AMOUNT_MAX}元"


@transaction.atomic
def case_issue_fee_notice(
    *,
    case: Case,
    actor: User,
    basis: str,
    amount: Decimal | None = None,
    quantity: int | None = None,
    override_reason: str = "",
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """收费通知 (Art. 42; 国办函〔2020〕109号): one basis per request, never both; only where
    109号 applies, and within the reply period.

    With ``quantity`` (items of this request, or pages) the amount is computed from the bands
    (per item over the applicant's requests of the calendar month) and the computation stored;
    a different ``amount`` needs ``override_reason``, and a computed fee of 0 needs no notice.
    Without ``quantity`` (the older contract) the ``amount`` given is charged as entered by
    hand, and the computed one is recorded beside it where it can be known (per item).
    """
    case = _begin(case, actor, "issue_fee_notice", expected_version)
    on = _step_date(case, on)
    if why_not := fee_rules_apply(received_on=case.received_on, on=on):
        raise TransitionRefused(why_not, code="fee_rules_not_applicable")
    _refuse_after_deadline(case, on, "收费通知")
    override_reason = override_reason.strip()
    errors: dict[str, str] = {}
    if basis not in FeeBasis.values:
        errors["basis"] = "收费方式应为 per_item（按件）或 per_page（按量）"
    if quantity is not None and (error := quantity_error(quantity)):
        errors["quantity"] = error
    _check_amount(amount, errors)
    if quantity is None and amount is None:
        errors["quantity"] = "请填写计费数量（件数或页数），或填写收费金额"
    if errors:
        raise _invalid(errors)

    by_hand = quantity is None
    computation = None
    if quantity is not None or basis == PER_ITEM:
        first = _first_position(case) if basis == PER_ITEM else 1
        computation = compute_fee(basis=basis, quantity=quantity or 1, first_position=first)
    if not by_hand:
        computed = computation.amount
        if amount is None and computed == 0 and override_reason:
            raise _invalid({"amount": "按标准计算为0元而仍需收费的，请填写收费金额"})
        if computed == 0 and not override_reason:
            lines = _bands_text(computation)
            raise _invalid(
                {
                    "quantity": f"按国办函〔2020〕109号的标准计算，本申请的信息处理费为0元"
                    f"（{lines}），无需发出收费通知"
                }
            )
        if amount is None:
            amount = computed
        elif amount != computed and not override_reason:
            raise _invalid(
                {
                    "amount": f"按标准计算应为{computed}元（{_bands_text(computation)}）；"
                    "金额与计算结果不同的，须填写理由（override_reason）"
                }
            )
    case.fee_quantity = quantity
    case.fee_computation = computation.as_dict() if computation else {}
    case.fee_computed_amount = computation.amount if computation else None
    case.fee_entered_by_hand = by_hand
    case.fee_override_reason = override_reason
    data = {
        "basis": basis,
        "amount": str(amount),
        "quantity": quantity,
        "computed_amount": str(computation.amount) if computation else None,
        "entered_by_hand": by_hand,
    }
    if override_reason:
        data["override_reason"] = override_reason
    return _run(
        case,
        actor=actor,
        action="issue_fee_notice",
        on=on,
        note=note,
        data=data,
        basis=basis,
        amount=amount,
    )


def _bands_text(computation) -> str:
    unit = "件" if computation.basis == PER_ITEM else "页"
    return "；".join(
        f"第{b.first}" + (f"至{b.last}" if b.last != b.first else "") + f"{unit}×{b.unit_price}元"
        for b in computation.bands
    )


@transaction.atomic
def case_receive_payment(
    *,
    case: Case,
    actor: User,
    on: dt.date | None = None,
    paid_amount: Decimal | None = None,
    receipt_number: str = "",
    waiver_reason: str = "",
    late_reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The fee was paid, in full or less a reduction or waiver (减免) whose reason is recorded;
    review resumes.

    国办函〔2020〕109号: a fee not paid within 20 working days of the notice means the request is
    given up. A later payment is refused unless an agency admin records why it is accepted; the
    time not counted still ends with the payment period (cases.deadlines). An applicant in
    financial hardship may be let off part or all of the fee: what is paid then is less than
    the notice's amount (0 for a full waiver), and the difference is the amount waived.
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
    due = case.fee_amount or Decimal(0)
    paid = due if paid_amount is None else paid_amount
    waiver_reason = waiver_reason.strip()
    if paid < 0:
        raise InvalidInput("实收金额不能为负数", fields={"paid_amount": "实收金额不能为负数"})
    if paid > due:
        message = f"实收金额不能超过收费通知的金额（{due}元）"
        raise InvalidInput(message, fields={"paid_amount": message})
    if paid < due and not waiver_reason:
        message = f"实收金额少于收费通知的金额（{due}元）的，差额为减免，须填写减免理由"
        raise InvalidInput(message, fields={"waiver_reason": message})
    if waiver_reason and paid == due:
        message = "未减免（实收金额等于通知金额）的，不填写减免理由"
        raise InvalidInput(message, fields={"waiver_reason": message})
    case.fee_paid_amount = paid
    case.fee_receipt_number = receipt_number.strip()
    case.fee_waived_amount = due - paid if paid < due else None
    case.fee_waiver_reason = waiver_reason
    data = {} if paid_amount is None else {"paid_amount": str(paid)}
    if late:
        data["late_reason"] = late_reason
    if receipt_number.strip():
        data["receipt_number"] = receipt_number.strip()
    if waiver_reason:
        data.update(waived_amount=str(due - paid), waiver_reason=waiver_reason)
    return _run(case, actor=actor, action="receive_payment", on=on, note=note, data=data)
