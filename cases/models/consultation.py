"""One round of consultation (征求意见) on a case: the statutory clock's input, and the letter's."""

from __future__ import annotations

from django.db import models

from ..choices import PartyKind
from .case import Case


class Consultation(models.Model):
    """A third party (Art. 32) or another agency (Art. 34) asked for its opinion.

    The time from sending to the opinion's arrival (or the end of the party's 15 days) is not
    counted in the reply period; the clock reads every round from here.
    """

    case = models.ForeignKey(
        Case, verbose_name="申请", on_delete=models.PROTECT, related_name="consultations"
    )
    round = models.PositiveSmallIntegerField("轮次")
    party = models.CharField("征求意见对象", max_length=200)
    party_kind = models.CharField(
        "征求意见对象类型",
        max_length=20,
        choices=PartyKind.choices,
        default=PartyKind.THIRD_PARTY,
    )
    sent_on = models.DateField("征求意见发出日期")
    opinion_received_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="consultation_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} 第{self.round}轮 {self.party}"
