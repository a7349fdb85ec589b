"""The applicant: one person or organisation per agency, with a history of requests.

Identified by the identity document (type and normalised number). The fee is counted per
applicant per calendar month (国办函〔2020〕109号), a repeat of an answered request is pointed
out (Art. 36(6)) and the number of requests in a window flagged (Art. 35) from this history.
Each case keeps a snapshot of what was on its request; the applicant holds the latest.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .. import vocabulary
from ..choices import IdType
from ..identity import mask_id_number
from .events import AppendOnly
from .people import Agency, User


class Applicant(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="applicants"
    )
    applicant_type = models.CharField(
        "申请人类型", max_length=40, choices=vocabulary.APPLICANT_TYPE_CHOICES
    )
    name = models.CharField("申请人姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    # Normalised (cases.identity.normalise_id_number): upper case, no spaces or hyphens.
    id_number = models.CharField("证件号码", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通讯地址", max_length=300, blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)
    # Set when an agency admin merged this record into another (a typo in a number): the
    # record stays, so that its audit trail and a later request with the same typo lead there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并至",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "id_type", "id_number"], name="applicant_identity_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "name"], name="applicant_agency_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_id_type_display()} {self.masked_id_number}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class ApplicantEvent(AppendOnly):
    """The applicant's audit trail: created, details changed, merged."""

    ACTIONS = (
        ("create", "新建申请人"),
        ("update", "更新申请人信息"),
        ("merge", "合并申请人"),
        ("merged", "被合并"),
    )

    applicant = models.ForeignKey(
        Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField("操作", max_length=20, choices=ACTIONS)
    # The case whose registration or edit brought the change, if any.
    case = models.ForeignKey(
        "cases.Case", verbose_name="申请", on_delete=models.PROTECT, null=True, related_name="+"
    )
    data = models.JSONField("数据", default=dict, encoder=DjangoJSONEncoder)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人操作记录"
        verbose_name_plural = "申请人操作记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.get_action_display()}"
