"""The Celery application. Every periodic schedule is declared here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("disclosure")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks (beat), in Asia/Shanghai time.
app.conf.beat_schedule = {
    # Every day at 08:30; the task itself skips days that are not working days, so adjusted
    # working weekend days (调休) get their reminders too.
    "deadline-reminders": {
        "task": "cases.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # A calendar change whose recompute task was never delivered (broker down) or gave up.
    "calendar-change-outbox": {
        "task": "cases.tasks.process_pending_calendar_changes",
        "schedule": crontab(minute="*/5"),
    },
    # A ledger import whose task was never delivered (broker down) or whose worker died.
    "ledger-pending-imports": {
        "task": "ledger.tasks.run_pending_imports",
        "schedule": crontab(minute="*/5"),
    },
    # Daily safety net: stored due dates that disagree with the calendar are fixed and audited.
    "deadline-repair": {
        "task": "cases.tasks.repair_deadlines",
        "schedule": crontab(hour=3, minute=0),
    },
    # Issued documents whose PDF was never made (broker down) or whose retries gave up.
    "document-pdf-sweep": {
        "task": "documents.tasks.render_pending_pdfs",
        "schedule": crontab(minute="*/10"),
    },
    "expired-token-purge": {
        "task": "cases.tasks.purge_expired_tokens",
        "schedule": crontab(hour=3, minute=30),
    },
    # 1 January, 01:00: last year's annual table for every agency (draft, files, mail).
    "annual-table-export": {
        "task": "reporting.tasks.export_annual_tables",
        "schedule": crontab(minute=0, hour=1, day_of_month=1, month_of_year=1),
    },
    # Art. 49: the report is published by 31 January; remind offices that have not yet.
    "annual-report-publication-reminders": {
        "task": "reporting.tasks.remind_unpublished_reports",
        "schedule": crontab(minute=0, hour=9, day_of_month="15,22,27,30", month_of_year=1),
    },
}
