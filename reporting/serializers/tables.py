"""Input and output shapes of the reporting API. Field names are a contract with outside clients."""

from rest_framework import serializers

from cases import limits
from cases.serializers import YearField

from ..layout import TEMPLATES
from ..models import AnnualReport, PeriodEvent, ReportScope
from ..report_layout import FIGURE_KINDS


class TableQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX,
        required=False,
        help_text="机关代码；all 为全部机关汇总（仅平台管理员）",
    )
    year = YearField(required=False, help_text="年度，默认上一年度")
    template = serializers.ChoiceField(
        choices=TEMPLATES,
        required=False,
        help_text="表格格式：2019（国办公开办函〔2019〕60号）或 2021（国办公开办函〔2021〕30号）；"
        "默认2020年及以前用2019，2021年起用2021",
    )


class TableColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField(required=False)


class TableRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "header", "total"])
    values = serializers.DictField(child=serializers.IntegerField(), help_text="列键 -> 数量")


class TableCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class AnnualTableSerializer(serializers.Serializer):
    """Documents the table's shape (the view returns the selector's dict as it is)."""

    agency = serializers.CharField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    template = serializers.CharField()
    template_notice = serializers.CharField()
    title = serializers.CharField()
    column_group_label = serializers.CharField()
    cross_check = serializers.CharField()
    columns = TableColumnSerializer(many=True)
    rows = TableRowSerializer(many=True)
    checks = TableCheckSerializer(many=True)


class FigureColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=FIGURE_KINDS)


class FigureRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="列键 -> 数值（整数；金额为带单位的文字；未填写为null）",
    )


class FigureGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    columns = FigureColumnSerializer(many=True)
    rows = FigureRowSerializer(many=True)


class ActiveDisclosureSerializer(serializers.Serializer):
    heading = serializers.CharField()
    template = serializers.CharField()
    label_header = serializers.CharField()
    groups = FigureGroupSerializer(many=True)


class ReviewLitigationRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField(allow_blank=True)
    values = serializers.DictField(child=serializers.IntegerField())


class ReviewLitigationSerializer(serializers.Serializer):
    heading = serializers.CharField()
    columns = TableColumnSerializer(many=True)
    rows = ReviewLitigationRowSerializer(many=True)


class FeesSerializer(serializers.Serializer):
    notices = serializers.IntegerField(help_text="本年度发出的收费通知件数")
    charged = serializers.CharField(help_text="本年度实际收取的信息处理费（元）")
    # Absent from the snapshots published before reductions were recorded: none then.
    waived = serializers.CharField(default="0.00", help_text="本年度减免的信息处理费（元）")


class ReportSectionsSerializer(serializers.Serializer):
    """Documents the report's other sections (the selector's dict as it is)."""

    agency = serializers.CharField(required=False)
    agency_name = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    template = serializers.CharField(required=False)
    template_notice = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    opening = serializers.CharField(required=False)
    headings = serializers.DictField(child=serializers.CharField(), required=False)
    general = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    other_matters = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    contact = serializers.CharField(required=False, allow_blank=True)
    fees = FeesSerializer(required=False)
    fee_statement_generated = serializers.CharField(required=False)
    fee_statement = serializers.CharField(
        required=False, allow_blank=True, help_text="第六部分的信息处理费表述（2021年格式起）"
    )
    active_disclosure = ActiveDisclosureSerializer(required=False)
    review_litigation = ReviewLitigationSerializer(required=False)
    checks = TableCheckSerializer(many=True, required=False)


class ReportTablesSerializer(serializers.Serializer):
    """The three tables of the report, live: sections 二, 三 and 四."""

    agency = serializers.CharField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    template = serializers.CharField()
    active_disclosure = ActiveDisclosureSerializer()
    requests = AnnualTableSerializer()
    review_litigation = ReviewLitigationSerializer()
    checks = TableCheckSerializer(many=True)


class AnnualReportSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # null: generated by the year-end task (no user), and not yet published.
    generated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    table = AnnualTableSerializer(read_only=True)
    scope_label = serializers.CharField(source="get_scope_display", read_only=True)
    report = ReportSectionsSerializer(read_only=True)
    documents = serializers.SerializerMethodField(
        help_text="年度报告全文：report.docx、report.pdf、report.html 的地址"
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "agency",
            "year",
            "template",
            "status",
            "status_label",
            "checks_ok",
            "scope",
            "scope_label",
            "generated_by",
            "generated_at",
            "published_by",
            "published_at",
            "table",
            "report",
            "documents",
        ]
        read_only_fields = fields

    def get_documents(self, report: AnnualReport) -> dict[str, str]:
        base = f"/api/reports/annual-reports/{report.pk}/report"
        return {ext: f"{base}.{ext}" for ext in ("docx", "pdf", "html")}


class AnnualReportCreateSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX, required=False, help_text="机关代码；机关工作人员可省略"
    )
    year = YearField()
    template = serializers.ChoiceField(choices=TEMPLATES, required=False)
    scope = serializers.ChoiceField(
        choices=ReportScope.choices,
        required=False,
        help_text="report：年度报告全文（各项核对均须通过方可发布）；table：仅统计表。"
        "默认：已填报该年度报告内容的为 report，否则为 table",
    )


class PublishSerializer(serializers.Serializer):
    accept_failed_checks = serializers.BooleanField(
        default=False, help_text="核对未通过时仍然发布（须确认差异有正当原因）"
    )
    force = serializers.BooleanField(
        default=False, help_text="年度尚未结束仍然发布（仅机关管理员，须说明理由）"
    )
    reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="提前发布的理由"
    )


class PeriodEventSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = PeriodEvent
        fields = ["id", "agency", "year", "action", "action_label", "report", "actor", "reason"]
        fields += ["created_at"]
        read_only_fields = fields


class ReopenSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX, required=False, help_text="机关代码；机关工作人员可省略"
    )
    year = YearField()
    reason = serializers.CharField(
        max_length=limits.REASON_MAX, help_text="重新开放的理由（将记录在案）"
    )
