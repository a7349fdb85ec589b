"""Input and output shapes of the report content API (/api/reports/report-contents/)."""

from __future__ import annotations

from rest_framework import serializers

from cases import limits
from cases.serializers import YearField

from ..models import ReportContent

TEXT_MAX = 100_000
SHORT_MAX = {"website": 300, "contact": 500}


class ReportContentSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    active_disclosure = serializers.DictField(
        child=serializers.DictField(child=serializers.DictField(child=serializers.JSONField())),
        help_text="第二部分：格式（2019/2021）-> 行 -> 列 -> 数值",
    )

    class Meta:
        model = ReportContent
        fields = [
            "id",
            "agency",
            "year",
            "general",
            "problems",
            "other_matters",
            "fee_statement",
            "website",
            "contact",
            "active_disclosure",
            "version",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields


class _ContentInputSerializer(serializers.Serializer):
    general = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, trim_whitespace=False,
        help_text="一、总体情况（每段一行；“（一）”开头的行为小标题）",
    )  # fmt: skip
    problems = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, trim_whitespace=False,
        help_text="五、存在的主要问题及改进情况",
    )  # fmt: skip
    other_matters = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, trim_whitespace=False,
        help_text="六、其他需要报告的事项",
    )  # fmt: skip
    fee_statement = serializers.CharField(
        max_length=limits.REASON_MAX, required=False, allow_blank=True,
        help_text="第六部分信息处理费的表述；留空则使用根据收费记录生成的表述",
    )  # fmt: skip
    website = serializers.CharField(
        max_length=SHORT_MAX["website"], required=False, allow_blank=True,
        help_text="年度报告电子版的发布网站，例如 某厅门户网站政府信息公开专栏",
    )  # fmt: skip
    contact = serializers.CharField(
        max_length=SHORT_MAX["contact"], required=False, allow_blank=True,
        help_text="联系方式：机构、地址、电话、电子邮箱",
    )  # fmt: skip
    active_disclosure = serializers.DictField(
        child=serializers.DictField(
            child=serializers.DictField(child=serializers.JSONField(allow_null=True))
        ),
        required=False,
        help_text="第二部分：{格式: {行: {列: 数值}}}；数值为整数，金额为文字（如 3435.54万元）；"
        "null 清空该格",
    )


class ReportContentCreateSerializer(_ContentInputSerializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX, required=False, help_text="机关代码；机关工作人员可省略"
    )
    year = YearField()


class ReportContentUpdateSerializer(_ContentInputSerializer):
    version = serializers.IntegerField(
        min_value=0, max_value=limits.INT32_MAX, required=False,
        help_text="读取时的版本号；已被他人修改则返回409",
    )  # fmt: skip
