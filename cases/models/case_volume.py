"""The case's applicant and the Art. 35 path (a number or frequency of requests clearly beyond a
reasonable range): an abstract part of the Case model with its two transitions."""

from __future__ import annotations

from django.db import models
from django_fsm import transition

from ..actions import ACTIONS
from ..choices import CaseState
from .conditions import _may, refused_with

# Art. 35's window: the flag counts the applicant's requests received in the last 30 days.
VOLUME_WINDOW_DAYS = 30
# What the case's representation shows of the Art. 35 path (cases.serializers).
REASONS_FIELDS = (
    "reasons_requested_on",
    "reasons_request",
    "reasonable_period_on",
    "reasonable_until",
    "reasonable_period_reason",
)


@refused_with("已要求申请人说明理由（《条例》第三十五条）")
def reasons_not_yet_asked(case) -> bool:
    return case.reasons_requested_on is None


@refused_with("已确定延迟答复的合理期限（《条例》第三十五条）")
def reasonable_period_not_yet_set(case) -> bool:
    return case.reasonable_until is None


class ApplicantHistory(models.Model):
    applicant = models.ForeignKey(
        "cases.Applicant",
        verbose_name="申请人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        # Served by the index (applicant, received_on, id) of the Case model.
        db_index=False,
    )
    # Counted at registration: the applicant's requests received at the agency in the
    # VOLUME_WINDOW_DAYS up to this one's receipt, this one included; flagged above the
    # agency's threshold (Art. 35).
    volume_count = models.PositiveIntegerField("近30日申请数", null=True, blank=True)
    volume_flag = models.BooleanField("申请数量明显超过合理范围", default=False)
    reasons_requested_on = models.DateField("要求说明理由日期", null=True, blank=True)
    reasons_request = models.TextField("要求说明理由的事项", blank=True)
    reasonable_period_on = models.DateField("确定合理期限日期", null=True, blank=True)
    reasonable_until = models.DateField("延迟答复的合理期限", null=True, blank=True)
    reasonable_period_reason = models.TextField("确定合理期限的理由", blank=True)

    class Meta:
        abstract = True

    @transition(
        field="state",
        source=[CaseState.REGISTERED, CaseState.REVIEWED],
        target=None,
        conditions=[reasons_not_yet_asked],
        permission=_may("ask_reasons"),
        custom={"label": ACTIONS["ask_reasons"].label},
    )
    def ask_reasons(self, *, on, content: str) -> None:
        self.reasons_requested_on = on
        self.reasons_request = content

    @transition(
        field="state",
        source=[CaseState.REVIEWED],
        target=None,
        conditions=[reasonable_period_not_yet_set],
        permission=_may("set_reasonable_period"),
        custom={"label": ACTIONS["set_reasonable_period"].label},
    )
    def set_reasonable_period(self, *, on, until, reason: str) -> None:
        self.reasonable_period_on = on
        self.reasonable_until = until
        self.reasonable_period_reason = reason
