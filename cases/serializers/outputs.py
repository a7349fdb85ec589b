"""Output shapes of the case API: agencies, cases, events. Field names are a contract."""

import copy

from django.core.validators import RegexValidator
from rest_framework import serializers

from .. import clock, hooks
from ..calendar import work_calendar
from ..deadlines import is_overdue, working_days_left
from ..fees import computation_lines
from ..models import (
    Agency,
    Case,
    CaseEvent,
)
from ..models.case_receipt import FEE_RECORD_FIELDS
from ..models.case_volume import REASONS_FIELDS
from ..services import DEADLINE_FIELDS, RECEIPT_FIELDS, allowed_actions

# The model's code rule in either case: validate_code upper-cases the code, and the schema shows
# the pattern of what is accepted.
_CODE_RULE = next(
    v for v in Agency._meta.get_field("code").validators if isinstance(v, RegexValidator)
)
_CODE_INPUT = RegexValidator(_CODE_RULE.regex.pattern.replace("A-Z", "A-Za-z"), _CODE_RULE.message)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "email", "volume_threshold"]
        read_only_fields = ["id", "volume_threshold"]
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


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field's value, as ``get_<field>_display`` gives it.

    Read from a dict: DRF inspects the signature of a callable source on every row, which was
    a fifth of the time of a list page.
    """

    def __init__(self, *, choices, **kwargs):
        self.labels = {str(key): str(label) for key, label in choices}
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return self.labels.get(str(value), str(value))


class CaseSerializer(OutputSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    state_label = ChoiceLabelField(
        source="state", choices=Case._meta.get_field("state").flatchoices
    )
    applicant_type_label = ChoiceLabelField(
        source="applicant_type", choices=Case._meta.get_field("applicant_type").flatchoices
    )
    outcome_label = ChoiceLabelField(
        source="outcome", choices=Case._meta.get_field("outcome").flatchoices
    )
    assigned_handler_name = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以执行的操作（接口路径名）"
    )
    working_days_left = serializers.SerializerMethodField(
        help_text="距答复期限的工作日数；逾期为负数；无期限（如等待补正）为null"
    )
    is_overdue = serializers.SerializerMethodField(help_text="未办结且已过答复期限")
    pending_document = serializers.SerializerMethodField(
        help_text="答复或延期待文书签发后生效时，该文书（id、kind）；否则为null"
    )
    pending_action = serializers.SerializerMethodField(
        help_text="待文书签发后生效的办理事项（answer 或 extend）；否则为null"
    )
    confirmation_late = serializers.BooleanField(
        read_only=True, help_text="平信到达后未当日与申请人确认（《条例》第三十一条）"
    )
    fee_explanation = serializers.SerializerMethodField(help_text="信息处理费的计算过程")

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
            *RECEIPT_FIELDS,
            "confirmation_late",
            "description",
            "delivery_form",
            "assigned_handler",
            "assigned_handler_name",
            "applicant",
            "volume_count",
            "volume_flag",
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
            *FEE_RECORD_FIELDS,
            "fee_explanation",
            "correction_notice_delivered_on",
            "fee_notice_delivered_on",
            "extended_on",
            "extension_days",
            "extension_reason",
            *REASONS_FIELDS,
            "withdrawn_on",
            "lapsed_on",
            "archived_on",
            *DEADLINE_FIELDS,
            "working_days_left",
            "is_overdue",
            "pending_action",
            "pending_document",
            "version",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, case: Case) -> dict:
        data = super().to_representation(case)
        # The full identity number only on the case's own page, to its agency's users; lists
        # (and anyone else) see it masked.
        request = self.context.get("request")
        in_list = isinstance(self.parent, serializers.ListSerializer)
        if in_list or (request is not None and request.user.agency_id != case.agency_id):
            data["id_number"] = case.masked_id_number
        # Fields other apps add (cases.hooks.register_representation), e.g. the documents.
        for extra in hooks.representations():
            data[extra.name] = extra.value(case)
        return data

    def get_fee_explanation(self, case: Case) -> list[str]:
        return computation_lines(case.fee_computation or {})

    def get_pending_document(self, case: Case) -> dict | None:
        return (case.pending_step or {}).get("document")

    def get_pending_action(self, case: Case) -> str | None:
        return (case.pending_step or {}).get("action")

    def get_fields(self):
        # The same for every case: built from the model once per process and copied (as DRF
        # copies declared fields) instead of introspecting seventy model fields per response.
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)

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
            "deadlines",
            "created_at",
        ]
        read_only_fields = fields
