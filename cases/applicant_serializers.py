"""Shapes of the applicant API and of the registration's repeat-request hints."""

from __future__ import annotations

from rest_framework import serializers

from . import limits
from .models import Applicant, ApplicantEvent, Case
from .serializers import CaseSerializer, OutputSerializer


class SimilarCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    received_on = serializers.DateField()
    answered_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    description = serializers.CharField()
    score = serializers.FloatField(help_text="请求内容的相似度（0至1，三元组相似度）")


class CaseCreatedSerializer(CaseSerializer):
    """The registered case, with the applicant's earlier answered requests of similar text
    (《条例》第三十六条第（六）项): candidates for ``not_processed_duplicate``, never a decision."""

    similar_cases = SimilarCaseSerializer(many=True, read_only=True, default=list)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "similar_cases"]
        read_only_fields = fields


def _masked_unless_own(serializer, applicant: Applicant) -> bool:
    request = serializer.context.get("request")
    return request is None or request.user.agency_id != applicant.agency_id


class ApplicantListSerializer(OutputSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicant_type_label = serializers.CharField(
        source="get_applicant_type_display", read_only=True
    )
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    case_count = serializers.IntegerField(read_only=True)
    last_received_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Applicant
        fields = [
            "id",
            "agency",
            "name",
            "applicant_type",
            "applicant_type_label",
            "id_type",
            "id_number",
            "case_count",
            "last_received_on",
        ]
        read_only_fields = fields


class ApplicantCaseSerializer(OutputSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "received_on",
            "state",
            "state_label",
            "outcome",
            "outcome_label",
            "volume_flag",
            "description",
        ]
        read_only_fields = fields


class MonthCountSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()


class VolumeSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    threshold = serializers.IntegerField()
    since = serializers.DateField()
    count = serializers.IntegerField(help_text="近window_days日收到的申请数")
    flagged = serializers.BooleanField(help_text="超过本机关阈值（《条例》第三十五条）")


class ApplicantEventSerializer(OutputSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = ApplicantEvent
        fields = ["id", "action", "actor", "case", "data", "note", "created_at"]
        read_only_fields = fields


class ApplicantSerializer(ApplicantListSerializer):
    """One applicant: the full identity number and contact data only for the agency's users."""

    id_number = serializers.SerializerMethodField()
    # Set by the view from the selectors (cases.applicant_selectors).
    cases = ApplicantCaseSerializer(source="case_history", many=True, read_only=True)
    monthly_counts = MonthCountSerializer(many=True, read_only=True)
    volume = VolumeSerializer(read_only=True)
    events = ApplicantEventSerializer(source="event_list", many=True, read_only=True)
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(ApplicantListSerializer.Meta):
        fields = [
            *ApplicantListSerializer.Meta.fields,
            "contact_phone",
            "contact_email",
            "contact_address",
            "postal_code",
            "merged_into",
            "volume",
            "monthly_counts",
            "cases",
            "events",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, applicant: Applicant) -> str:
        if _masked_unless_own(self, applicant):
            return applicant.masked_id_number
        return applicant.id_number

    def to_representation(self, applicant: Applicant) -> dict:
        data = super().to_representation(applicant)
        if _masked_unless_own(self, applicant):
            for name in ("contact_phone", "contact_email", "contact_address", "postal_code"):
                data[name] = ""
        return data


class ApplicantMergeSerializer(serializers.Serializer):
    duplicate = serializers.IntegerField(
        min_value=1,
        max_value=limits.BIGINT_MAX,
        help_text="要并入本记录的另一条申请人记录的ID（同一机关）",
    )
    reason = serializers.CharField(max_length=limits.REASON_MAX, help_text="合并理由")


class AgencySettingsSerializer(serializers.Serializer):
    volume_threshold = serializers.IntegerField(
        min_value=1,
        max_value=10_000,
        error_messages={
            "min_value": "阈值应为1至10000之间的整数",
            "max_value": "阈值应为1至10000之间的整数",
        },
        help_text="同一申请人30日内的申请数超过该数时提示（《条例》第三十五条）",
    )


class FeeFiguresSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    year = serializers.IntegerField()
    notices = serializers.IntegerField(help_text="当年发出收费通知的件数")
    amount_charged = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="当年收费通知的金额合计（元）"
    )
    amount_paid = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="当年实际收取的金额（元）"
    )
    amount_waived = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="当年减免的金额（元）"
    )
