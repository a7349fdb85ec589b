"""An import of a ledger file, the cases it created, and the record of every ledger export."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cases.models import Agency, AppendOnly, Case, User


class ImportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportBatch(models.Model):
    """One upload of a ledger file: a dry run (the default) or an import, and its report."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="ledger_imports"
    )
    created_by = models.ForeignKey(
        User, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    # The file as uploaded: the worker reads it, and the report is the file with an error column.
    file = models.FileField("台账文件", upload_to="ledger-imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    dry_run = models.BooleanField("仅检查（不导入）", default=True)
    all_or_nothing = models.BooleanField("有错误则全部不导入", default=False)
    state = models.CharField(
        "状态", max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    # The report (ledger.services.ImportReport.as_dict), complete once the state is done.
    report = models.JSONField("报告", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Refreshed with every progress update: a running batch not heard of for long is stale.
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"


class ImportedCase(models.Model):
    """A case created from a ledger row: the office's own number for it, and where it came from.

    Re-importing the same ledger finds the case here by its number (or by the applicant's
    identity, the day of receipt and the request's text) and creates nothing twice.
    """

    case = models.OneToOneField(
        Case, verbose_name="申请", on_delete=models.PROTECT, related_name="ledger_entry"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, verbose_name="导入批次", on_delete=models.PROTECT, related_name="cases"
    )
    row = models.PositiveIntegerField("行号")
    external_number = models.CharField("台账编号", max_length=100, blank=True)

    class Meta:
        verbose_name = "导入的申请"
        verbose_name_plural = "导入的申请"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_number"],
                condition=~models.Q(external_number=""),
                name="ledger_external_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_number or self.case}（{self.batch.file_name} 第{self.row}行）"


class LedgerExport(AppendOnly):
    """Who took the ledger out, of what, and whether with personal data in full."""

    user = models.ForeignKey(
        User, verbose_name="导出人", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    format = models.CharField("格式", max_length=8)
    query = models.JSONField("筛选条件", default=dict, blank=True)
    unmasked = models.BooleanField("含完整证件号码等个人信息", default=False)
    rows = models.PositiveIntegerField("行数")
    created_at = models.DateTimeField("导出时间", auto_now_add=True)

    class Meta:
        verbose_name = "台账导出记录"
        verbose_name_plural = "台账导出记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.format} {self.rows}行"
