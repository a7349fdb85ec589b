"""The Celery path, end to end, once: a real worker on the local Redis broker runs the reminder
task, and the digest arrives at a real SMTP server on loopback."""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from kombu import Connection

from cases import services
from cases.tasks import send_deadline_reminders

from .factories import register_case
from .smtp import SmtpServer, text_of

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
PROJECT = Path(__file__).resolve().parent.parent


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_the_reminder_task_and_the_mail_arrives(handler):
    if not _redis_up():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Redis is not running on 127.0.0.1:6379 but REQUIRE_SERVICES=1")
        pytest.skip("needs Redis on 127.0.0.1:6379")
    case = register_case(actor=handler, received_on=dt.date(2024, 2, 1))
    services.case_review(case=case, actor=handler, on=dt.date(2024, 2, 2))  # overdue by March

    db = connection.settings_dict
    with SmtpServer() as smtp:
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "DJANGO_VAR_DIR": os.environ.get("DJANGO_VAR_DIR", str(PROJECT / "var")),
        }
        with Connection(REDIS_URL) as broker:
            broker.default_channel.client.flushdb()  # a clean test queue
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                 "--without-gossip", "--without-mingle", "--loglevel=INFO"],
                cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            try:
                send_deadline_reminders.apply_async(
                    kwargs={"today": "2024-03-20"}, connection=broker
                )
                deadline = time.monotonic() + 90
                while not smtp.handler.messages and time.monotonic() < deadline:
                    if worker.poll() is not None:
                        break
                    time.sleep(0.5)
            finally:
                worker.terminate()
                output, _ = worker.communicate(timeout=30)

    assert smtp.handler.messages, f"no mail arrived; worker said:\n{output[-3000:]}"
    (recipients, message), *_ = smtp.handler.messages
    assert recipients == ("gk@rst.fj.example.cn",)
    assert case.reference in text_of(message)
    assert "succeeded" in output
