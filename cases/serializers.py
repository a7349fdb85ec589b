"""Input and output shapes of the case API. Field names are a contract with outside clients."""

from django.core.validators import MinValueValidator, RegexValidator
from rest_framework import serializers

from . import clock, limits, vocabulary
from .calendar import work_calendar
from .deadlines import is_overdue, working_days_left
from .models import (
    Agency,
    Case,
    CaseEvent,
    Channel,
    DeliveryForm,
    FeeBasis,
    IdType,
    PartyKind,
)
from .services import (
    DEADLINE_FIELDS,
    MAX_CORRECTION_PERIOD_DAYS,
    MAX_EXTENSION_DAYS,
    allowed_actions,
)

# The model's code rule in either case: validate_code upper-cases the code, and the schema shows
# the pattern of what is accepted.
_CODE_RULE = next(
    v for v in Agency._meta.get_field("code").validators if isinstance(v, RegexValidator)
)
_CODE_INPUT = RegexValidator(_CODE_RULE.regex.pattern.replace("A-Z", "A-Za-z"), _CODE_RULE.message)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "email"]
        read_only_fields = ["id"]
        # Uniqueness is checked by the service, with the same message for API and admin.
        extra_kwargs = {"code": {"validators": [_CODE_INPUT]}, "name": {"validators": []}}

    def validate_code(self, value: str) -> str:
        code = value.strip().upper()
        for validator in Agency._meta.get_field("code").validators:
            validator(code)
        return code


class OutputSerializer(serializers.ModelSerializer):
    """A read-only model serializer whose fields may be blank where the model allows it.

    DRF drops ``allow_blank`` from read-only fields (it only guards input), so the schema would
    promise a value from the choices, or an e-mail address, where the API sends "" (an unanswered
    case's ``outcome``, a ``contact_email`` left out). Keeping it documents the blank.
    """

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class CaseSerializer(OutputSerializer):
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
            "competent_agency",
            "answered_late",
            "reviewed_on",
            "correction_requested_on",
            "correction_items",
            "correction_period_days",
            "correction_received_on",
            "consultation_sent_on",
            "consultation_party",
            "consultation_party_kind",
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


class CaseEventSerializer(OutputSerializer):
    # null: recorded by the system (a task, a management command) rather than a user.
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

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
    note = serializers.CharField(
        allow_blank=True, help_text="扣除少于实际等待时间或不扣除的原因；否则为空"
    )


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
    correction_notice_due_provisional = serializers.BooleanField()
    correction_due_provisional = serializers.BooleanField()
    opinion_due_provisional = serializers.BooleanField()
    fee_due_provisional = serializers.BooleanField()
    extension_counted = serializers.BooleanField(
        help_text="延期决定晚于答复期限的，不延长期限（《条例》第三十三条）"
    )
    explanation = serializers.ListField(child=serializers.CharField())


# Input fields. Every one is bounded (cases.limits), so nothing unbounded reaches the database.

_not_before_2008 = MinValueValidator(limits.EARLIEST_DATE, limits.EARLIEST_DATE_MESSAGE)


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kwargs)


def _bounded_int(low: int, high: int, message: str = "", **kwargs) -> serializers.IntegerField:
    messages = {"min_value": message, "max_value": message} if message else {}
    return serializers.IntegerField(
        min_value=low, max_value=high, error_messages=messages, **kwargs
    )


def _version() -> serializers.IntegerField:
    return _bounded_int(
        0, limits.INT32_MAX, required=False, help_text="读取时的版本号；与当前版本不同则返回409"
    )


def _user_id(**kwargs) -> serializers.IntegerField:
    # A plain id: the view resolves it within the case's agency, so that an unknown id and
    # another agency's user are refused alike (services.handler_by_id).
    return serializers.IntegerField(**kwargs)


class YearField(serializers.IntegerField):
    """A year from the Regulations' first to next year; the upper bound moves with the date."""

    def to_internal_value(self, data):
        year = super().to_internal_value(data)
        latest = limits.latest_year()
        if not limits.FIRST_YEAR <= year <= latest:
            raise serializers.ValidationError(f"年度应在{limits.FIRST_YEAR}年至{latest}年之间")
        return year


class _CaseDataSerializer(serializers.Serializer):
    applicant_type = serializers.ChoiceField(choices=vocabulary.APPLICANT_TYPE_CHOICES)
    applicant_name = serializers.CharField(max_length=200)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=64)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField(validators=[_not_before_2008])
    description = _text(limits.DESCRIPTION_MAX)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    delivery_form = serializers.ChoiceField(
        choices=DeliveryForm.choices, required=False, allow_blank=True
    )
    assigned_handler = _user_id(required=False, allow_null=True, help_text="承办人用户ID")


class CaseCreateSerializer(_CaseDataSerializer):
    agency = _text(
        limits.AGENCY_CODE_MAX,
        required=False,
        help_text="机关代码；只属于一个机关的用户可省略",
    )
    note = _text(limits.NOTE_MAX, required=False, allow_blank=True)


class CaseUpdateSerializer(_CaseDataSerializer):
    """PATCH: every field optional; state, outcome and step dates are changed by actions only."""

    reply = _text(limits.REPLY_MAX, required=False, allow_blank=True)
    legal_basis = _text(limits.LEGAL_BASIS_MAX, required=False, allow_blank=True)
    reason = _text(limits.REASON_MAX, required=False, allow_blank=True)
    version = _version()
    note = _text(limits.NOTE_MAX, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ActionSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        validators=[_not_before_2008],
        help_text="事项发生日期（YYYY-MM-DD），默认为今天",
    )
    note = _text(limits.NOTE_MAX, required=False, allow_blank=True, help_text="备注")
    version = _version()


class ReviewSerializer(ActionSerializer):
    handler = _user_id(required=False, help_text="承办人用户ID；默认为审查人")


class RequestCorrectionSerializer(ActionSerializer):
    items = _text(limits.CORRECTION_ITEMS_MAX, help_text="需要补正的事项")
    period_days = _bounded_int(
        1,
        MAX_CORRECTION_PERIOD_DAYS,
        f"补正期限应为1至{MAX_CORRECTION_PERIOD_DAYS}个工作日",
        required=False,
        help_text="补正期限（工作日），默认见 CORRECTION_PERIOD_DAYS",
    )


class ConsultSerializer(ActionSerializer):
    party = _text(limits.PARTY_MAX, help_text="征求意见的第三方或机关")
    party_kind = serializers.ChoiceField(
        choices=PartyKind.choices,
        default=PartyKind.THIRD_PARTY,
        help_text="third_party：第三方（《条例》第三十二条）；agency：其他机关（第三十四条）。"
        "2019年5月15日前收到的申请，只扣除征求第三方意见的时间",
    )


class ReceiveOpinionSerializer(ActionSerializer):
    opinion = _text(limits.OPINION_MAX, required=False, allow_blank=True)


class IssueFeeNoticeSerializer(ActionSerializer):
    basis = serializers.ChoiceField(choices=FeeBasis.choices)
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        max_value=limits.FEE_AMOUNT_MAX,
        error_messages={"max_value": f"收费金额不能超过{limits.FEE_AMOUNT_MAX}元"},
        help_text=f"收费金额（元），不超过{limits.FEE_AMOUNT_MAX}",
    )


class ExtendSerializer(ActionSerializer):
    working_days = _bounded_int(
        1,
        MAX_EXTENSION_DAYS,
        f"延长期限应为1至{MAX_EXTENSION_DAYS}个工作日",
        help_text="延长的工作日数，最多20",
    )
    reason = _text(limits.EXTENSION_REASON_MAX, help_text="延期理由")


class AnswerSerializer(ActionSerializer):
    outcome = serializers.ChoiceField(choices=vocabulary.OUTCOME_CHOICES)
    reply = _text(limits.REPLY_MAX, required=False, allow_blank=True)
    reason = _text(limits.REASON_MAX, required=False, allow_blank=True)
    legal_basis = _text(
        limits.LEGAL_BASIS_MAX,
        required=False,
        allow_blank=True,
        help_text="默认为办理结果对应的条款",
    )
    delivery = serializers.ChoiceField(
        choices=DeliveryForm.choices, required=False, allow_blank=True
    )
    competent_agency = _text(
        limits.COMPETENT_AGENCY_MAX,
        required=False,
        allow_blank=True,
        help_text="不属于本机关负责公开的（unavailable_not_responsible），能够确定负责公开的机关时，"
        "填写其名称和联系方式（《条例》第三十六条第（五）项）",
    )


class ReceivePaymentSerializer(ActionSerializer):
    late_reason = _text(
        limits.REASON_MAX,
        required=False,
        allow_blank=True,
        help_text="缴费期限届满后仍接受缴费的理由；仅机关管理员可以填写（国办函〔2020〕109号）",
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
    "receive_payment": ReceivePaymentSerializer,
    "extend": ExtendSerializer,
    "answer": AnswerSerializer,
    "withdraw": ActionSerializer,
    "archive": ActionSerializer,
}
