"""Input and output shapes of the appeals API (/api/appeals/). Field names are a contract."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import limits

from ..models import Appeal, AppealKind, AppealResult


def _reference(case) -> str | None:
    return case.reference if case is not None else None


class DecisionDocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    case_reference = serializers.SerializerMethodField(help_text="所涉申请的编号")
    new_case_reference = serializers.SerializerMethodField(help_text="重新答复的申请的编号")
    decision_document = serializers.SerializerMethodField(
        help_text="决定书或裁判文书：{name, url}；未上传为null"
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "agency",
            "case",
            "case_reference",
            "kind",
            "kind_label",
            "review",
            "filed_on",
            "body",
            "number",
            "result",
            "result_label",
            "decided_on",
            "orders_new_reply",
            "new_case",
            "new_case_reference",
            "decision_document",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"result": {"allow_blank": True}}

    def get_case_reference(self, appeal: Appeal) -> str | None:
        return _reference(appeal.case)

    def get_new_case_reference(self, appeal: Appeal) -> str | None:
        return _reference(appeal.new_case)

    @extend_schema_field(DecisionDocumentSerializer(allow_null=True))
    def get_decision_document(self, appeal: Appeal) -> dict | None:
        if not appeal.decision_document:
            return None
        return {
            "name": appeal.decision_document_name,
            "url": f"/api/appeals/{appeal.pk}/decision-document/",
        }


def case_appeals(case) -> list[dict]:
    """The ``appeals`` field of the case's representation (cases.hooks), from the prefetch."""
    return [
        {
            "id": appeal.pk,
            "kind": appeal.kind,
            "kind_label": appeal.get_kind_display(),
            "filed_on": appeal.filed_on.isoformat(),
            "body": appeal.body,
            "number": appeal.number,
            "result": appeal.result,
            "result_label": appeal.get_result_display(),
            "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else None,
            "orders_new_reply": appeal.orders_new_reply,
            "new_case": appeal.new_case_id,
            "new_case_reference": _reference(appeal.new_case),
        }
        for appeal in case.appeals.all()
    ]


class _AppealInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(
        min_value=1, max_value=limits.BIGINT_MAX, required=False, allow_null=True,
        help_text="所涉申请的id",
    )  # fmt: skip
    kind = serializers.ChoiceField(choices=AppealKind.choices)
    review = serializers.IntegerField(
        min_value=1, max_value=limits.BIGINT_MAX, required=False, allow_null=True,
        help_text="复议后起诉的：所经行政复议的id",
    )  # fmt: skip
    filed_on = serializers.DateField()
    body = serializers.CharField(max_length=200, help_text="复议机关或人民法院")
    number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    result = serializers.ChoiceField(
        choices=AppealResult.choices, required=False, allow_blank=True,
        help_text="maintained 维持；corrected 纠正（撤销、确认违法、责令履行等）；"
        "other 其他（撤回、驳回起诉、和解等）；未审结的留空",
    )  # fmt: skip
    decided_on = serializers.DateField(required=False, allow_null=True)
    orders_new_reply = serializers.BooleanField(required=False)
    new_case = serializers.IntegerField(
        min_value=1, max_value=limits.BIGINT_MAX, required=False, allow_null=True,
        help_text="责令重新答复的：重新答复所登记的新申请的id",
    )  # fmt: skip
    note = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True)


class AppealCreateSerializer(_AppealInputSerializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX, required=False, help_text="机关代码；机关工作人员可省略"
    )


class AppealUpdateSerializer(_AppealInputSerializer):
    version = serializers.IntegerField(
        min_value=0, max_value=limits.INT32_MAX, required=False,
        help_text="读取时的版本号；已被他人修改则返回409",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class DecisionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF、OFD、DOC、DOCX、JPG、PNG，不超过20MB")
    version = serializers.IntegerField(min_value=0, max_value=limits.INT32_MAX, required=False)
