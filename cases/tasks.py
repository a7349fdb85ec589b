"""Celery tasks: take plain arguments, call one service, retry on transient failure."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def recompute_deadlines(*, years: list[int], reason: str) -> int:
    """After a calendar change: recompute the open cases it may affect."""
    return services.recompute_open_deadlines(years=years, reason=reason)
