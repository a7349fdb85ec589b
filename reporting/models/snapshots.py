"""Annual table snapshots, the period lock's history, and the year-end mails sent.

A published snapshot never changes: the model refuses to save or delete it, and on PostgreSQL a
trigger refuses it too. Whether a year is locked is derived from ``PeriodEvent``, an append-only
log: the year is locked while its latest event is a publication.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cases.models import Agency, AppendOnly, User

from ..layout import TEMPLATE_CHOICES


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ReportScope(models.TextChoices):
    TABLE = "table", "统计表（第三部分）"
    REPORT = "report", "年度报告全文"


class AnnualReport(models.Model):
    """One agency's annual report for a year, in one template, as it was generated: section 三's
    table (``table``) and the rest of the report (``report``: sections 二 and 四, the texts, the
    report's checks). ``scope`` says what publishing it stands for: the table alone (what the
    product published before the whole report existed) or the whole report, whose every check
    must pass."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    template = models.CharField("格式", max_length=4, choices=TEMPLATE_CHOICES)
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The whole table as the API returns it, checks included.
    table = models.JSONField("统计表", encoder=DjangoJSONEncoder)
    checks_ok = models.BooleanField("核对全部通过")
    scope = models.CharField(
        "发布范围", max_length=10, choices=ReportScope.choices, default=ReportScope.TABLE
    )
    # Sections 一, 二, 四, 五, 六 and the opening as the reporting.report selector returns them.
    report = models.JSONField("年度报告其他部分", encoder=DjangoJSONEncoder, default=dict)
    generated_by = models.ForeignKey(
        User,
        verbose_name="生成人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    generated_at = models.DateTimeField("生成时间")
    published_by = models.ForeignKey(
        User,
        verbose_name="发布人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度报告统计表"
        verbose_name_plural = "年度报告统计表"
        ordering = ["-year", "agency__code", "template", "-generated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "template"],
                condition=models.Q(status="draft"),
                name="annual_report_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(published_at__isnull=False, published_by__isnull=False),
                name="annual_report_published_fields",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "status"], name="report_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.year}年（{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        if getattr(self, "_stored_status", None) == ReportStatus.PUBLISHED:
            raise TypeError("已发布的年度报告统计表不可修改")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        if getattr(self, "_stored_status", None) == ReportStatus.PUBLISHED:
            raise TypeError("已发布的年度报告统计表不可删除")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.status
        return instance

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class PeriodAction(models.TextChoices):
    PUBLISH = "publish", "发布并锁定年度"
    REOPEN = "reopen", "重新开放年度"


class PeriodEvent(AppendOnly):
    """Publishing locks an agency's year; an agency admin may reopen it. Append-only."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="period_events"
    )
    year = models.PositiveSmallIntegerField("年度")
    action = models.CharField("操作", max_length=10, choices=PeriodAction.choices)
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告统计表",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="period_events",
    )
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度锁定记录"
        verbose_name_plural = "年度锁定记录"
        ordering = ["agency", "year", "id"]
        indexes = [models.Index(fields=["agency", "year"], name="period_event_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year} {self.get_action_display()}"


class ReportMailKind(models.TextChoices):
    EXPORT = "export", "年度统计表自动导出"
    PUBLISH_REMINDER = "publish_reminder", "年度报告发布提醒"


class ReportMailSent(models.Model):
    """A year-end mail to an agency's office, recorded in the transaction that sends it, so a
    retried task never sends it twice."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    kind = models.CharField("类型", max_length=20, choices=ReportMailKind.choices)
    sent_on = models.DateField("发送日期")
    recipient = models.EmailField("收件人")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告邮件记录"
        verbose_name_plural = "年度报告邮件记录"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "kind", "sent_on"], name="report_mail_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.kind} {self.sent_on}"
