"""Celery tasks of the year-end run; the schedules are declared in config/celery.py."""

import datetime as dt

from celery import shared_task

from cases import clock
from cases.retry import mail_task_retry

from . import yearend


class ReportMailError(Exception):
    """Some offices' mails could not be handed to the SMTP server; nothing was marked for them."""


@shared_task(**mail_task_retry(ReportMailError))
def export_annual_tables(today: str | None = None) -> dict:
    """1 January, 01:00 Asia/Shanghai: last year's table for every agency, as a draft snapshot,
    files in storage, and a mail to each disclosure office. A retry re-sends only what failed."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    results = yearend.export_year(year=day.year - 1, today=day)
    failures = {r.agency.code: r.mail_error for r in results if r.mail_error}
    if failures:
        raise ReportMailError("; ".join(f"{k}: {v}" for k, v in failures.items()))
    return {
        "year": day.year - 1,
        "agencies": len(results),
        "mailed": sum(r.mailed for r in results),
        "checks_failed": [r.agency.code for r in results if not r.report.checks_ok],
    }


@shared_task(**mail_task_retry(ReportMailError))
def remind_unpublished_reports(today: str | None = None) -> dict:
    """In January: remind agencies whose previous year is still unpublished (Art. 49)."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    run = yearend.remind_unpublished(today=day)
    if run.failures:
        raise ReportMailError("; ".join(f"{k}: {v}" for k, v in run.failures.items()))
    return {"today": day.isoformat(), "reminded": [a.code for a in run.reminded]}
