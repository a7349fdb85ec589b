"""The case's Art. 31 receipt facts and its fee computation (国办函〔2020〕109号): abstract
parts of the Case model, kept here so that the case's module stays readable."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ..receipt import MAIL_TYPES, ORDINARY

# What the case's representation shows of the fee (cases.serializers).
FEE_RECORD_FIELDS = (
    "fee_quantity",
    "fee_computed_amount",
    "fee_computation",
    "fee_entered_by_hand",
    "fee_override_reason",
    "fee_paid_amount",
    "fee_receipt_number",
    "fee_waived_amount",
    "fee_waiver_reason",
)


class ReceiptFacts(models.Model):
    """What the channel records (cases.receipt); ``received_on`` is derived from it."""

    mail_type = models.CharField("邮件类别", max_length=10, choices=MAIL_TYPES, blank=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    arrived_on = models.DateField("信件到达日期", null=True, blank=True)
    confirmed_on = models.DateField("双方确认日期", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def confirmation_late(self) -> bool:
        # Art. 31(2): the office confirms an ordinary letter with the applicant on the day it
        # arrives; a later confirmation is accepted but flagged.
        return bool(
            self.mail_type == ORDINARY
            and self.arrived_on
            and self.confirmed_on
            and self.confirmed_on > self.arrived_on
        )


class FeeRecord(models.Model):
    """How the fee was reached, and what was paid or waived (减免)."""

    fee_quantity = models.PositiveIntegerField("计费数量（件或页）", null=True, blank=True)
    fee_computed_amount = models.DecimalField(
        "按标准计算的金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    # cases.fees.FeeComputation.as_dict(): the bands applied.
    fee_computation = models.JSONField(
        "收费计算过程", default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    fee_entered_by_hand = models.BooleanField(
        "金额为手工录入", default=False, help_text="未提供计费数量，按录入的金额收费"
    )
    fee_override_reason = models.TextField("金额与计算结果不同的理由", blank=True)
    fee_paid_amount = models.DecimalField(
        "实收金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_receipt_number = models.CharField("收据（票据）号码", max_length=64, blank=True)
    fee_waived_amount = models.DecimalField(
        "减免金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_waiver_reason = models.TextField("减免理由", blank=True)

    class Meta:
        abstract = True
