"""The cumulative working-day index gives what counting day by day gives, across years, holidays,
adjusted working days and years whose notice is not loaded."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cases import calendar_seed
from cases.workdays import ONE_DAY, WorkCalendar

ENTRIES = calendar_seed.package_entries(range(2004, 2027))
# 2027 on is not loaded: weekends and the holidays package's statutory holidays.
CAL = WorkCalendar(
    holidays={d: n for d, (k, n, _) in ENTRIES.items() if k == "holiday"},
    workdays={d: n for d, (k, n, _) in ENTRIES.items() if k == "workday"},
    loaded_years=frozenset(range(2004, 2027)),
)
dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2029, 12, 31))


def counted_day_by_day(start: dt.date, end: dt.date) -> int:
    sign, (low, high) = (1, (start, end)) if start <= end else (-1, (end, start))
    days, day = 0, low
    while day < high:
        day += ONE_DAY
        days += CAL.is_working_day(day)
    return sign * days


def nth_working_day_by_day(start: dt.date, count: int) -> dt.date:
    day = start
    while count:
        day += ONE_DAY
        count -= CAL.is_working_day(day)
    return day


@settings(max_examples=500, deadline=None)
@given(start=dates, end=dates)
def test_working_days_between_is_a_day_by_day_count(start, end):
    assert CAL.working_days_between(start, end) == counted_day_by_day(start, end)


@settings(max_examples=500, deadline=None)
@given(start=dates, count=st.integers(min_value=0, max_value=400))
def test_add_working_days_is_the_nth_working_day(start, count):
    assert CAL.add_working_days(start, count) == nth_working_day_by_day(start, count)


def test_year_boundaries_and_adjusted_days():
    # 2025-12-31 (Wed) -> 2026-01-05: New Year 1-3 January 2026 off, Sunday 4 January worked.
    assert CAL.add_working_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 4)
    assert CAL.working_days_between(dt.date(2025, 12, 31), dt.date(2026, 1, 4)) == 1
    assert CAL.working_days_between(dt.date(2026, 1, 4), dt.date(2025, 12, 31)) == -1
    assert CAL.working_days_between(dt.date(2024, 3, 1), dt.date(2024, 3, 1)) == 0


def special_days_by_day(start: dt.date, end: dt.date):
    result, day = [], start
    while day < end:
        day += ONE_DAY
        weekend, working = day.weekday() >= 5, CAL.is_working_day(day)
        if working and weekend:
            result.append((day, "workday", CAL.workdays.get(day, "")))
        elif not working and not weekend:
            result.append((day, "holiday", CAL.holiday_name(day) or ""))
    return result


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=0, max_value=800))
def test_special_days_are_those_found_day_by_day(start, days):
    end = start + dt.timedelta(days=days)
    assert CAL.special_days(start, end) == special_days_by_day(start, end)
