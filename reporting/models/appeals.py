"""Administrative reconsiderations and lawsuits over the office's disclosure work (section 四).

An appeal belongs to one agency and usually to the case whose reply it contests (none for an
appeal about the disclosure work in general). A lawsuit after a reconsideration is linked to
that reconsideration. A corrected result that orders a new reply reopens nothing: the new reply
is a new case, linked here as ``new_case``. Every change is written by ``reporting.services``
with an ``AppealEvent`` in the same transaction.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from cases.models import Agency, AppendOnly, Case, User


class AppealKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    MAINTAINED = "maintained", "结果维持"
    # 撤销, 确认违法, 责令履行 (or 责令重新答复) are all counted as corrected.
    CORRECTED = "corrected", "结果纠正"
    # Withdrawn, dismissed for procedure, settled.
    OTHER = "other", "其他结果"


def decision_path(appeal: Appeal, filename: str) -> str:
    """Where a decision document is stored: by agency and filing year, under a random name."""
    suffix = PurePosixPath(filename).suffix.lower()
    year = appeal.filed_on.year if appeal.filed_on else "undated"
    return f"appeals/{appeal.agency.code}/{year}/{uuid.uuid4().hex}{suffix}"


class Appeal(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="appeals"
    )
    case = models.ForeignKey(
        Case,
        verbose_name="所涉申请",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        help_text="被申请复议或被起诉的答复所属的申请；针对政府信息公开工作整体的可不填",
    )
    kind = models.CharField("类别", max_length=30, choices=AppealKind.choices)
    review = models.ForeignKey(
        "self",
        verbose_name="所经行政复议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lawsuits",
        help_text="复议后起诉的，其所经的行政复议",
    )
    filed_on = models.DateField("申请复议或起诉日期")
    body = models.CharField("复议机关或人民法院", max_length=200)
    number = models.CharField("案号或文号", max_length=100, blank=True)
    result = models.CharField("结果", max_length=20, choices=AppealResult.choices, blank=True)
    decided_on = models.DateField("决定或裁判日期", null=True, blank=True)
    orders_new_reply = models.BooleanField(
        "责令重新答复", default=False, help_text="结果纠正且要求重新作出答复"
    )
    new_case = models.ForeignKey(
        Case,
        verbose_name="重新答复的申请",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reply_ordered_by",
    )
    decision_document = models.FileField(
        "决定书或裁判文书", upload_to=decision_path, max_length=300, blank=True
    )
    decision_document_name = models.CharField("文书原文件名", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行政复议和行政诉讼"
        verbose_name_plural = "行政复议和行政诉讼"
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "decided_on"], name="appeal_agency_decided"),
            models.Index(fields=["agency", "filed_on"], name="appeal_agency_filed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="", decided_on__isnull=True)
                | (~Q(result="") & Q(decided_on__isnull=False)),
                name="appeal_result_with_date",
            ),
            models.CheckConstraint(
                condition=Q(review__isnull=True) | Q(kind="litigation_after_review"),
                name="appeal_review_only_after_review",
            ),
            models.CheckConstraint(
                condition=Q(orders_new_reply=False) | Q(result="corrected"),
                name="appeal_new_reply_when_corrected",
            ),
        ]

    def __str__(self) -> str:
        what = self.number or self.body
        return f"{self.get_kind_display()} {what}（{self.filed_on}）"

    @property
    def is_decided(self) -> bool:
        return bool(self.result)


class AppealEvent(AppendOnly):
    """One audit row per change to an appeal, written in the change's transaction."""

    appeal = models.ForeignKey(
        Appeal, verbose_name="行政复议或行政诉讼", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(
        "操作",
        max_length=20,
        choices=[("create", "登记"), ("update", "修改"), ("decision_document", "上传决定文书")],
    )
    # {field: {"from": ..., "to": ...}} of what changed (the whole record when created).
    data = models.JSONField("变更内容", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政复议和行政诉讼操作记录"
        verbose_name_plural = "行政复议和行政诉讼操作记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_action_display()}"
