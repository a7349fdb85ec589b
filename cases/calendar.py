"""Reads the working-day calendar from the database (two queries)."""

from .models import CalendarDay, CalendarYear, DayKind
from .workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    holidays, workdays = {}, {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (workdays if kind == DayKind.WORKDAY else holidays)[day] = name
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(holidays=holidays, workdays=workdays, loaded_years=years)
