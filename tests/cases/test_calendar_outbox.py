"""A calendar change is never lost: its recompute is recorded with it and repaired if need be."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from cases import tasks
from cases.models import CalendarChange, CalendarDay, Case, CaseEvent
from config.celery import app

from ..factories import register_case

D = dt.date


@pytest.fixture
def broker_down(settings):
    """A broker nobody listens on (a closed loopback port), as when Redis is stopped."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.broker_url
    app.pool.force_close_all()
    app._pool = None
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    yield
    app.pool.force_close_all()
    app._pool = None
    app.conf.broker_url = previous


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_a_calendar_change_answers_and_is_recomputed_later(
    handler, platform_admin, broker_down
):
    case = register_case(actor=handler, received_on=D(2026, 3, 2))
    before = case.due_on
    admin = Client(raise_request_exception=False)
    admin.force_login(platform_admin)
    # The due date itself becomes a holiday: the reply is due one working day later.
    added = admin.post(
        "/admin/cases/calendarday/add/",
        {"date": before.isoformat(), "kind": "holiday", "name": "测试假日", "source": "测试"},
    )
    assert added.status_code == 302  # never a 500: the change and its outbox row commit
    assert CalendarDay.objects.filter(date=before).exists()
    change = CalendarChange.objects.get()
    assert change.processed_at is None and change.actor == platform_admin
    case.refresh_from_db()
    assert case.due_on == before  # not yet recomputed

    assert tasks.process_pending_calendar_changes() == 1
    case.refresh_from_db()
    assert case.due_on > before
    change.refresh_from_db()
    assert change.processed_at is not None and change.cases_changed == 1
    event = CaseEvent.objects.get(case=case, action="recompute_deadlines")
    assert f"变更记录{change.pk}" in event.note
    # Done once: a second sweep finds nothing pending.
    assert tasks.process_pending_calendar_changes() == 0


@pytest.mark.django_db
def test_repair_finds_and_fixes_stale_due_dates_and_reports_how_many(handler):
    right = register_case(actor=handler, received_on=D(2026, 3, 2))
    stale = register_case(actor=handler, received_on=D(2026, 3, 2))
    Case.objects.filter(pk=stale.pk).update(due_on=D(2026, 12, 31))  # as if a recompute was lost

    out = io.StringIO()
    call_command("repair_deadlines", "--dry-run", stdout=out)
    assert "1件需要修正" in out.getvalue()
    stale.refresh_from_db()
    assert stale.due_on == D(2026, 12, 31)

    out = io.StringIO()
    call_command("repair_deadlines", stdout=out)
    assert "1件已修正" in out.getvalue()
    stale.refresh_from_db()
    assert stale.due_on == right.due_on
    event = CaseEvent.objects.get(case=stale, action="recompute_deadlines")
    assert event.data["due_on"]["from"] == "2026-12-31"
    assert tasks.repair_deadlines() == 0


@pytest.mark.django_db
def test_a_failed_recompute_stays_pending_with_its_error(platform_admin, handler, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    change = CalendarChange.objects.create(years=[2026], description="测试", actor=platform_admin)
    with mock.patch(
        "cases.services.calendar.recompute_open_deadlines", side_effect=RuntimeError("boom")
    ):
        assert tasks.process_pending_calendar_changes() == 0
    change.refresh_from_db()
    assert change.processed_at is None and change.attempts == 1 and "boom" in change.last_error
    assert tasks.process_pending_calendar_changes() == 1
    change.refresh_from_db()
    assert change.processed_at is not None and change.last_error == ""
