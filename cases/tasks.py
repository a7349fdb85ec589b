"""Celery tasks: take plain arguments, call one service, retry on transient failure (the retry
policies and their limit are in ``cases.retry``).
"""

import datetime as dt
import logging

from celery import shared_task

from . import authentication, clock, reminders, services
from .retry import RETRY_BACKOFF_MAX, mail_task_retry

log = logging.getLogger(__name__)


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


@shared_task(**mail_task_retry(ReminderDeliveryError))
def send_deadline_reminders(today: str | None = None) -> dict:
    """Beat runs this daily at 08:30 Asia/Shanghai; it does nothing on non-working days."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    report = reminders.send_reminders(today=day)
    if report.failures:
        raise ReminderDeliveryError("; ".join(f"{k}: {v}" for k, v in report.failures.items()))
    return {"today": day.isoformat(), "recipients": len(report.digests), "sent": report.reminders}


def enqueue_calendar_change(change_id: int) -> bool:
    """Hand the recompute to a worker; if the broker is unreachable, leave it to the periodic job.

    Never raises: the change itself is committed and its CalendarChange row is pending.
    """
    try:
        process_calendar_change.apply_async(kwargs={"change_id": change_id}, retry=False)
    except Exception:  # the broker's errors vary by transport; none may undo the change
        log.warning(
            "Calendar change %s: broker unavailable, the periodic job will recompute",
            change_id,
            exc_info=True,
        )
        return False
    return True
