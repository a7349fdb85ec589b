"""The Art. 31 facts of a request as API input (cases.receipt derives received_on from them)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from rest_framework import serializers

from . import limits
from .receipt import FACT_DATES, MAIL_TYPES

_not_before_2008 = MinValueValidator(limits.EARLIEST_DATE, limits.EARLIEST_DATE_MESSAGE)


def _fact_date(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False, allow_null=True, validators=[_not_before_2008], help_text=help_text
    )


class ReceiptFactsInput(serializers.Serializer):
    """The channel's facts, each optional (registration and PATCH)."""

    mail_type = serializers.ChoiceField(
        choices=MAIL_TYPES,
        required=False,
        allow_blank=True,
        help_text="信函：signed 需签收（挂号信、EMS），ordinary 平信",
    )
    submitted_on = _fact_date("当面、口头：提交之日；网上、电子邮件、传真：申请人提交之日")
    signed_on = _fact_date("需签收的信函：机关签收之日")
    arrived_on = _fact_date("平信：信件到达之日")
    confirmed_on = _fact_date("平信、网上、电子邮件、传真：与申请人双方确认之日")


class ReceivedOnOrFacts(serializers.Serializer):
    """Registration: ``received_on`` may be left out when the facts stand in for it; with
    neither, it is named among the missing fields."""

    received_on = serializers.DateField(
        required=False,
        validators=[_not_before_2008],
        help_text="收到申请之日（《条例》第三十一条）；填写了申请方式对应的日期时可省略（据以推定），"
        "填写的须与之一致",
    )

    def to_internal_value(self, data):
        errors = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors, value = dict(error.detail), None
        given = hasattr(data, "get") and any(
            data.get(name) for name in ("received_on", *FACT_DATES)
        )
        if "received_on" not in errors and not given:
            errors["received_on"] = [self.fields["received_on"].error_messages["required"]]
        if errors:
            raise serializers.ValidationError(errors)
        return value
