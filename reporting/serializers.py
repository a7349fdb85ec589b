"""Input and output shapes of the reporting API. Field names are a contract with outside clients."""

from rest_framework import serializers

from .models import AnnualReport, PeriodEvent
from .tables import TEMPLATES


class TableQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(
        required=False, help_text="机关代码；all 为全部机关汇总（仅平台管理员）"
    )
    year = serializers.IntegerField(required=False, help_text="年度，默认上一年度")
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


class AnnualReportSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    generated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    table = AnnualTableSerializer(read_only=True)

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
            "generated_by",
            "generated_at",
            "published_by",
            "published_at",
            "table",
        ]
        read_only_fields = fields


class AnnualReportCreateSerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="机关代码；机关工作人员可省略")
    year = serializers.IntegerField()
    template = serializers.ChoiceField(choices=TEMPLATES, required=False)


class PublishSerializer(serializers.Serializer):
    accept_failed_checks = serializers.BooleanField(
        default=False, help_text="核对未通过时仍然发布（须确认差异有正当原因）"
    )


class PeriodEventSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = PeriodEvent
        fields = ["id", "agency", "year", "action", "action_label", "report", "actor", "reason"]
        fields += ["created_at"]
        read_only_fields = fields


class ReopenSerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="机关代码；机关工作人员可省略")
    year = serializers.IntegerField()
    reason = serializers.CharField(help_text="重新开放的理由（将记录在案）")
