"""How Celery tasks retry: one policy for every task that sends mail (the deadline reminders and
the year-end mails), and the backoff limit every retrying task keeps to.

Retry countdowns stay below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_
OPTIONS, 600 s by default), so a retry waiting in a worker is never redelivered to another one.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError

RETRY_BACKOFF_MAX = 540  # seconds; below the visibility timeout


def mail_task_retry(delivery_error: type[Exception]) -> dict[str, Any]:
    """The ``shared_task`` options of a mail task. The task raises ``delivery_error`` when some
    mail could not be handed to the SMTP server (``cases.mail``: nothing was marked for it), and
    is retried with backoff, as on a dropped database connection; a retry sends only what is not
    marked yet. Acknowledged late, so a task whose worker died is redelivered."""
    return {
        "autoretry_for": (delivery_error, OperationalError),
        "retry_backoff": 60,
        "retry_backoff_max": RETRY_BACKOFF_MAX,
        "max_retries": 12,
        "acks_late": True,
    }
