"""What an office writes and enters for its annual report, per agency and year: the texts of
sections 一, 五 and 六, the opening's blanks, section 六's fee sentence as edited, and the figures
of section 二 (one set per format). Written only by ``reporting.services``."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cases.models import Agency, User


class ReportContent(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="report_contents"
    )
    year = models.PositiveSmallIntegerField("年度")
    general = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    fee_statement = models.TextField(
        "信息处理费收取情况",
        blank=True,
        help_text="留空则使用根据收费记录生成的表述（2021年格式起列入第六部分）",
    )
    website = models.CharField("年度报告电子版的发布网站", max_length=300, blank=True)
    contact = models.CharField("联系方式", max_length=500, blank=True)
    # Section 二: {template: {row key: {column key: value}}}; a missing cell is not filled in.
    active_disclosure = models.JSONField(
        "主动公开政府信息情况", default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    updated_by = models.ForeignKey(
        User, verbose_name="填报人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告填报内容"
        verbose_name_plural = "年度报告填报内容"
        ordering = ["-year", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="report_content_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.year}年"
