"""Celery tasks: take plain arguments, call one service, retry on transient failure."""

import datetime as dt

from celery import shared_task
from django.db import OperationalError

from . import clock, reminders, services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def recompute_deadlines(*, years: list[int], reason: str) -> int:
    """After a calendar change: recompute the open cases it may affect."""
    return services.recompute_open_deadlines(years=years, reason=reason)


class ReminderDeliveryError(Exception):
    """Some digests could not be handed to the SMTP server; nothing was marked for them."""


@shared_task(
    autoretry_for=(ReminderDeliveryError, OperationalError),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=8,
    acks_late=True,
)
def send_deadline_reminders(today: str | None = None) -> dict:
    """Beat runs this daily at 08:30 Asia/Shanghai; it does nothing on non-working days."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    report = reminders.send_reminders(today=day)
    if report.failures:
        raise ReminderDeliveryError("; ".join(f"{k}: {v}" for k, v in report.failures.items()))
    return {"today": day.isoformat(), "recipients": len(report.digests), "sent": report.reminders}
