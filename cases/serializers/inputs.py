"""Input shapes of the case API: registration, edits and the actions (generated from
cases.actions). Every field is bounded (cases.limits)."""

from typing import Any

from django.core.validators import MinValueValidator
from rest_framework import serializers

from .. import actions, limits, vocabulary
from ..actions import Input
from ..models import (
    Channel,
    DeliveryForm,
    IdType,
)
from ..receipt_serializers import ReceiptFactsInput, ReceivedOnOrFacts

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


class _CaseDataSerializer(ReceiptFactsInput, serializers.Serializer):
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


class CaseCreateSerializer(ReceivedOnOrFacts, _CaseDataSerializer):
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


def _input_field(spec: Input) -> serializers.Field:
    """The DRF field for one input of an action description."""
    common: dict[str, Any] = {"required": spec.required}
    if spec.help:
        common["help_text"] = spec.help
    bounds = {"min_value": spec.message, "max_value": spec.message} if spec.message else {}
    if spec.kind == actions.DATE:
        return serializers.DateField(validators=[_not_before_2008], **common)
    if spec.kind in (actions.TEXT, actions.LONG_TEXT):
        return _text(spec.max_length, allow_blank=not spec.required, **common)
    if spec.kind == actions.INTEGER:
        return _bounded_int(spec.min_value, spec.max_value, spec.message, **common)
    if spec.kind == actions.AMOUNT:
        return serializers.DecimalField(
            max_digits=10,
            decimal_places=2,
            max_value=spec.max_value,
            error_messages=bounds,
            **common,
        )
    if spec.kind == actions.CHOICE:
        if spec.default is not None:
            common.pop("required")
            return serializers.ChoiceField(choices=spec.choices, default=spec.default, **common)
        return serializers.ChoiceField(
            choices=spec.choices, allow_blank=not spec.required, **common
        )
    if spec.kind == actions.USER:
        return _user_id(**common)
    raise ValueError(f"unknown input kind {spec.kind!r}")


class ActionSerializer(serializers.Serializer):
    """What every action takes: the date of the step, a note, and the version read."""

    on = _input_field(actions.ON)
    note = _input_field(actions.NOTE)
    version = _version()


def _action_serializer(action: actions.Action) -> type[ActionSerializer]:
    """The input serializer of one action, generated from its description (cases.actions)."""
    name = "".join(part.title() for part in action.name.split("_")) + "Serializer"
    fields = {spec.name: _input_field(spec) for spec in action.inputs}
    return type(name, (ActionSerializer,), {**fields, "__module__": __name__})


# Input shape of each action, by transition name.
ACTION_INPUTS = {name: _action_serializer(actions.ACTIONS[name]) for name in actions.TRANSITIONS}
