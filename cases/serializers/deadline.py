"""GET /api/cases/{id}/deadline/: the due date and how it was reached."""

from rest_framework import serializers


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
    # The delivery facts the applicant's periods were counted from.
    correction_period_from = serializers.DateField(
        allow_null=True,
        help_text="申请人补正期限的起算日：补正告知送达之日，未登记送达时为发出之日",
    )
    correction_delivery_assumed = serializers.BooleanField(
        help_text="补正告知尚未登记送达，暂按发出之日起算"
    )
    fee_period_from = serializers.DateField(
        allow_null=True,
        help_text="缴费期限的起算日：收费通知送达之日，未登记送达时为发出之日",
    )
    fee_delivery_assumed = serializers.BooleanField(
        help_text="收费通知尚未登记送达，暂按发出之日起算"
    )
    reasonable_until = serializers.DateField(
        allow_null=True, help_text="《条例》第三十五条确定的延迟答复的合理期限"
    )
    reasonable_period_on = serializers.DateField(allow_null=True)
    explanation = serializers.ListField(child=serializers.CharField())
