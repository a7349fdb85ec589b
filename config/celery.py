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
}
