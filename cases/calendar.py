"""Reads the working-day calendar from the database, once per process while it stays the same.

Every request, reminder run and recompute needs the calendar. Loading it is two queries and a
few hundred rows, and its cumulative working-day tables (``cases.workdays``) are built lazily on
the instance, so the calendar is kept per process and reused for as long as its *stamp* — one
cheap query of counts and latest change times over the three calendar tables — is the same. A
change made by any process (the admin, ``load_holiday_calendar``, a migration, a test rolling
back its own change) changes the stamp, and the next caller reloads.

Within one HTTP request the stamp is read once: a registration computes the deadlines and its
response the working days left on the same calendar. A calendar row saved or deleted in this
process forgets the request's copy at once (signals connected in ``CasesConfig.ready``).
"""

from __future__ import annotations

import threading

from django.db import connection

from .models import CalendarChange, CalendarDay, CalendarYear, DayKind
from .workdays import WorkCalendar

_cached: tuple[tuple, WorkCalendar] | None = None
_request = threading.local()


def _stamp() -> tuple:
    """What changes whenever a calendar row is added, changed or deleted: the rows' count and
    latest change time, the sum of the loaded years, and the latest recorded change."""
    quote = connection.ops.quote_name
    day, year, change = (
        quote(model._meta.db_table) for model in (CalendarDay, CalendarYear, CalendarChange)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {day}), (SELECT MAX(updated_at) FROM {day}), "
            f"(SELECT COUNT(*) FROM {year}), (SELECT SUM(year) FROM {year}), "
            f"(SELECT MAX(loaded_at) FROM {year}), (SELECT MAX(id) FROM {change})"
        )
        return (connection.alias, connection.settings_dict["NAME"], *cursor.fetchone())


def load_work_calendar() -> WorkCalendar:
    """The calendar as the database holds it now (two queries, no cache)."""
    holidays, workdays = {}, {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (workdays if kind == DayKind.WORKDAY else holidays)[day] = name
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(holidays=holidays, workdays=workdays, loaded_years=years)


def work_calendar() -> WorkCalendar:
    """The current calendar: one query when this process has it already, three otherwise,
    none for the second call within a request."""
    global _cached
    in_request = getattr(_request, "active", False)
    if in_request and _request.calendar is not None:
        return _request.calendar
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        calendar = cached[1]
    else:
        calendar = load_work_calendar()
        _cached = (stamp, calendar)
    if in_request:
        _request.calendar = calendar
    return calendar


def request_started(**kwargs) -> None:
    _request.active, _request.calendar = True, None


def request_finished(**kwargs) -> None:
    _request.active, _request.calendar = False, None


def calendar_row_changed(**kwargs) -> None:
    """A calendar row was saved or deleted here: this request reads the stamp again."""
    _request.calendar = None


def connect_signals() -> None:
    from django.core.signals import request_finished as finished
    from django.core.signals import request_started as started
    from django.db.models.signals import post_delete, post_save

    started.connect(request_started, dispatch_uid="cases.calendar.request_started")
    finished.connect(request_finished, dispatch_uid="cases.calendar.request_finished")
    for model in (CalendarDay, CalendarYear, CalendarChange):
        for signal in (post_save, post_delete):
            signal.connect(
                calendar_row_changed,
                sender=model,
                dispatch_uid=f"cases.calendar.changed.{model.__name__}.{signal is post_save}",
            )
