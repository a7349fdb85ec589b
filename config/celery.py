"""The Celery application. Every periodic schedule is declared here, in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("disclosure")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks (beat). Later capabilities add their entries here.
app.conf.beat_schedule = {}
