"""Input and output shapes of the case API. Field names are a contract with outside clients."""

from rest_framework import serializers

from . import clock, vocabulary
from .calendar import work_calendar
from .deadlines import is_overdue, working_days_left
from .models import Agency, Case, CaseEvent, Channel, DeliveryForm, FeeBasis, IdType, User
from .services import DEADLINE_FIELDS, allowed_actions


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "email"]
        read_only_fields = ["id"]
        # Uniqueness is checked by the service, with the same message for API and admin.
        extra_kwargs = {"code": {"validators": []}, "name": {"validators": []}}

    def validate_code(self, value: str) -> str:
        code = value.strip().upper()
        for validator in Agency._meta.get_field("code").validators:
            validator(code)
        return code


class CaseSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    applicant_type_label = serializers.CharField(
        source="get_applicant_type_display", read_only=True
    )
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    assigned_handler_name = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以执行的操作（接口路径名）"
    )
    working_days_left = serializers.SerializerMethodField(
        help_text="距答复期限的工作日数；逾期为负数；无期限（如等待补正）为null"
    )
    is_overdue = serializers.SerializerMethodField(help_text="未办结且已过答复期限")

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "agency",
            "agency_name",
            "state",
            "state_label",
            "applicant_type",
            "applicant_type_label",
            "applicant_name",
            "id_type",
            "id_number",
            "contact_phone",
            "contact_email",
            "contact_address",
            "postal_code",
            "channel",
            "received_on",
            "description",
            "delivery_form",
            "assigned_handler",
            "assigned_handler_name",
            "outcome",
            "outcome_label",
            "answered_on",
            "reply",
            "legal_basis",
            "reason",
            "delivery",
            "reviewed_on",
            "correction_requested_on",
            "correction_items",
            "correction_period_days",
            "correction_received_on",
            "consultation_sent_on",
            "consultation_party",
            "opinion_received_on",
            "opinion",
            "fee_notice_on",
            "fee_basis",
            "fee_amount",
            "fee_paid_on",
            "extended_on",
            "extension_days",
            "extension_reason",
            "withdrawn_on",
            "lapsed_on",
            "archived_on",
            *DEADLINE_FIELDS,
            "working_days_left",
            "is_overdue",
            "version",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_assigned_handler_name(self, case: Case) -> str | None:
        handler = case.assigned_handler
        return (handler.get_full_name() or handler.username) if handler else None

    def get_working_days_left(self, case: Case) -> int | None:
        if case.due_on is None or not case.is_open:
            return None
        return working_days_left(case.due_on, today=clock.today(), cal=self._calendar())

    def get_is_overdue(self, case: Case) -> bool:
        return is_overdue(case, today=clock.today())

    def _calendar(self):
        # One calendar per response, however many cases it lists.
        root = self.root if self.root is not None else self
        if not hasattr(root, "_work_calendar"):
            root._work_calendar = work_calendar()
        return root._work_calendar

    def get_actions(self, case: Case) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [name.replace("_", "-") for name in allowed_actions(case, request.user)]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "actor",
            "from_state",
            "to_state",
            "on",
            "data",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class PauseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["consultation", "fee"])
    rule = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    limit_on = serializers.DateField()
    ongoing = serializers.BooleanField()
    working_days = serializers.IntegerField()


class SpecialDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=["holiday", "workday"])
    name = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    """GET /api/cases/{id}/deadline/: the due date and how it was reached."""

    case = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.CharField()
    today = serializers.DateField()
    regulations = serializers.CharField(help_text="2019 或 2008（2019年5月15日前收到的申请）")
    reply_days = serializers.IntegerField()
    start_on = serializers.DateField(allow_null=True)
    start_rule = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    stored_due_on = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    provisional_years = serializers.ListField(child=serializers.IntegerField())
    working_days_left = serializers.IntegerField(allow_null=True)
    is_overdue = serializers.BooleanField()
    pauses = PauseSerializer(many=True)
    extension_days = serializers.IntegerField()
    extended_on = serializers.DateField(allow_null=True)
    special_days = SpecialDaySerializer(many=True)
    correction_notice_due_on = serializers.DateField(allow_null=True)
    correction_notice_late = serializers.BooleanField()
    correction_due_on = serializers.DateField(allow_null=True)
    opinion_due_on = serializers.DateField(allow_null=True)
    fee_due_on = serializers.DateField(allow_null=True)
    explanation = serializers.ListField(child=serializers.CharField())


def _handlers():
    return User.objects.filter(is_active=True)


class _CaseDataSerializer(serializers.Serializer):
    applicant_type = serializers.ChoiceField(choices=vocabulary.APPLICANT_TYPE_CHOICES)
    applicant_name = serializers.CharField(max_length=200)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=64)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField()
    description = serializers.CharField()
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    delivery_form = serializers.ChoiceField(
        choices=DeliveryForm.choices, required=False, allow_blank=True
    )
    assigned_handler = serializers.PrimaryKeyRelatedField(
        queryset=_handlers(), required=False, allow_null=True
    )


class CaseCreateSerializer(_CaseDataSerializer):
    agency = serializers.CharField(required=False, help_text="机关代码；只属于一个机关的用户可省略")
    note = serializers.CharField(required=False, allow_blank=True)


class CaseUpdateSerializer(_CaseDataSerializer):
    """PATCH: every field optional; state, outcome and step dates are changed by actions only."""

    reply = serializers.CharField(required=False, allow_blank=True)
    legal_basis = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, help_text="读取时的版本号；与当前版本不同则返回409"
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ActionSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="事项发生日期（YYYY-MM-DD），默认为今天")
    note = serializers.CharField(required=False, allow_blank=True, help_text="备注")
    version = serializers.IntegerField(
        required=False, help_text="读取时的版本号；与当前版本不同则返回409"
    )


class ReviewSerializer(ActionSerializer):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=_handlers(), required=False, help_text="承办人用户ID；默认为审查人"
    )


class RequestCorrectionSerializer(ActionSerializer):
    items = serializers.CharField(help_text="需要补正的事项")
    period_days = serializers.IntegerField(
        required=False, help_text="补正期限（工作日），默认见 CORRECTION_PERIOD_DAYS"
    )


class ConsultSerializer(ActionSerializer):
    party = serializers.CharField(max_length=200, help_text="征求意见的第三方或机关")


class ReceiveOpinionSerializer(ActionSerializer):
    opinion = serializers.CharField(required=False, allow_blank=True)


class IssueFeeNoticeSerializer(ActionSerializer):
    basis = serializers.ChoiceField(choices=FeeBasis.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class ExtendSerializer(ActionSerializer):
    working_days = serializers.IntegerField(help_text="延长的工作日数，最多20")
    reason = serializers.CharField(help_text="延期理由")


class AnswerSerializer(ActionSerializer):
    outcome = serializers.ChoiceField(choices=vocabulary.OUTCOME_CHOICES)
    reply = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    legal_basis = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="默认为办理结果对应的条款"
    )
    delivery = serializers.ChoiceField(
        choices=DeliveryForm.choices, required=False, allow_blank=True
    )


# Input shape of each action, by transition name.
ACTION_INPUTS = {
    "review": ReviewSerializer,
    "request_correction": RequestCorrectionSerializer,
    "receive_correction": ActionSerializer,
    "lapse": ActionSerializer,
    "consult": ConsultSerializer,
    "receive_opinion": ReceiveOpinionSerializer,
    "issue_fee_notice": IssueFeeNoticeSerializer,
    "receive_payment": ActionSerializer,
    "extend": ExtendSerializer,
    "answer": AnswerSerializer,
    "withdraw": ActionSerializer,
    "archive": ActionSerializer,
}
