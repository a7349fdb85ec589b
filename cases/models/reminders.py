"""The record of deadline reminders sent."""

from __future__ import annotations

from django.db import models

from ..choices import (
    ReminderLevel,
)
from .case import Case


class ReminderSent(models.Model):
    """One reminder delivered to one recipient. The unique key makes sending exactly-once:
    the row is written in the same transaction as the mail is handed to the SMTP server."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reminders")
    level = models.CharField("提醒类型", max_length=40, choices=ReminderLevel.choices)
    due_on = models.DateField("所提醒的期限")
    # The day a repeating reminder (overdue, every working day) is for; else the due date.
    occurrence = models.DateField("提醒日")
    recipient = models.EmailField("收件人")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限提醒记录"
        verbose_name_plural = "期限提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level", "due_on", "occurrence", "recipient"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.level} {self.recipient}"
