"""Celery tasks: take plain arguments, call one service, retry on transient failure.

Retry countdowns stay below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_
OPTIONS, 600 s by default), so a retry waiting in a worker is never redelivered to another one.
"""

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError

from . import authentication, clock, reminders, services

log = logging.getLogger(__name__)

RETRY_BACKOFF_MAX = 540  # seconds; below the visibility timeout


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=12,
    acks_late=True,
)
def process_calendar_change(*, change_id: int) -> int | None:
    """After a calendar change: recompute the open cases it may affect (idempotent)."""
    return services.calendar_change_process(change_id=change_id)


@shared_task(acks_late=True)
def process_pending_calendar_changes() -> int:
    """Every few minutes: carry out calendar recomputes whose task never ran or gave up."""
    done = 0
    for change_id in services.calendar_changes_pending().values_list("pk", flat=True):
        try:
            services.calendar_change_process(change_id=change_id)
        except Exception:
            log.exception("Calendar change %s: recompute failed, will try again", change_id)
            continue
        done += 1
    return done


@shared_task(acks_late=True)
def repair_deadlines() -> int:
    """Daily: fix any open case whose stored due dates disagree with the calendar."""
    fixed = services.repair_open_deadlines()
    log.info("Deadline repair: %d case(s) fixed", fixed)
    return fixed


@shared_task(acks_late=True)
def purge_expired_tokens() -> int:
    return authentication.purge_expired_tokens()


class ReminderDeliveryError(Exception):
    """Some digests could not be handed to the SMTP server; nothing was marked for them."""


@shared_task(
    autoretry_for=(ReminderDeliveryError, OperationalError),
    retry_backoff=60,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=12,
    acks_late=True,
)
def send_deadline_reminders(today: str | None = None) -> dict:
    """Beat runs this daily at 08:30 Asia/Shanghai; it does nothing on non-working days."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    report = reminders.send_reminders(today=day)
    if report.failures:
        raise ReminderDeliveryError("; ".join(f"{k}: {v}" for k, v in report.failures.items()))
    return {"today": day.isoformat(), "recipients": len(report.digests), "sent": report.reminders}
