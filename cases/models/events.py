"""The audit trail and the reference counter."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .. import actions
from ..choices import CaseState
from .case import Case
from .people import Agency, User


class ReferenceCounter(models.Model):
    """The last sequence number handed out per agency and year of receipt."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


def _refuse(model, what: str) -> TypeError:
    return TypeError(f"{model._meta.verbose_name}不可{what}")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse(self.model, "修改")

    def delete(self):
        raise _refuse(self.model, "删除")


class AppendOnly(models.Model):
    """An audit row: written once, in the transaction of what it records; never edited, never
    deleted (the model and its queryset refuse both). Shared by every audit trail."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise _refuse(self, "修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(self, "删除")


class CaseEvent(AppendOnly):
    """One audit row per action on a case, written in the action's transaction."""

    case = models.ForeignKey(
        Case, verbose_name="申请", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField("操作", max_length=40, choices=actions.EVENT_CHOICES)
    from_state = models.CharField("原状态", max_length=30, choices=CaseState.choices)
    to_state = models.CharField("新状态", max_length=30, choices=CaseState.choices)
    on = models.DateField("事项日期", null=True, blank=True)
    data = models.JSONField("提交的数据", default=dict, encoder=DjangoJSONEncoder)
    note = models.TextField("备注", blank=True)
    # The due dates the action moved, {field: {"from": ..., "to": ...}}.
    deadlines = models.JSONField("期限变化", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("记录时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # "FJRST-2026-00038 登记 2026-11-25 13:11": the action's name and local time.
        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.case} {self.get_action_display()} {when}"
