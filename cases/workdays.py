"""The Chinese working-day calendar and the statute's counting rule (pure, no Django).

A working day is Monday to Friday unless the State Council's notice for that year makes it a
holiday, plus the weekend days the notice makes working days (调休). For a year whose notice is
not loaded, weekends are rest days and the statutory holidays computed by the ``holidays``
package are holidays; every date that relies on such a year is *provisional*.

Counting rule (the Regulations, as the spec reads them): the day an event happens is not
counted; a period of N working days from D ends on the N-th working day after D.

Counting is by lookup, not day by day: each year the calendar is asked about gets a cumulative
table (for each day, the working days from 1 January up to it), built once per calendar, so
"working days between two dates" is a subtraction and "the N-th working day after D" a binary
search. A list page, the reminder run and the deadline explanation read the same tables.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

ONE_DAY = dt.timedelta(days=1)
# Beyond this many calendar days a period cannot reach: 20 working days never span a year.
_SEARCH_LIMIT = 3660
_SEARCH_YEARS = _SEARCH_LIMIT // 366 + 1


@cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Holidays of a year without a loaded notice, from the ``holidays`` package."""
    import holidays  # imported lazily: only unloaded years need it

    return dict(holidays.China(years=year, language="zh_CN").items())


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and adjusted working days by date, and the years whose notice is loaded."""

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    workdays: Mapping[dt.date, str] = field(default_factory=dict)
    loaded_years: frozenset[int] = frozenset()

    def is_loaded(self, day: dt.date) -> bool:
        return day.year in self.loaded_years

    def holiday_name(self, day: dt.date) -> str | None:
        if self.is_loaded(day):
            return self.holidays.get(day)
        return statutory_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if self.is_loaded(day):
            if day in self.workdays:
                return True
            if day in self.holidays:
                return False
        elif day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def working_days_after(self, start: dt.date) -> Iterator[dt.date]:
        day = start
        for _ in range(_SEARCH_LIMIT):
            day += ONE_DAY
            if self.is_working_day(day):
                yield day
        raise ValueError(f"no working day within {_SEARCH_LIMIT} days after {start}")

    def _year_table(self, year: int) -> list[int]:
        """Working days from 1 January of the year up to each of its days, inclusive."""
        return self._year(year)[0]

    def _year(self, year: int) -> tuple[list[int], list[dt.date]]:
        """The year's cumulative table and its days that differ from Monday to Friday."""
        # Built lazily and kept on the instance (a frozen dataclass still has a __dict__).
        years = self.__dict__.setdefault("_years", {})
        built = years.get(year)
        if built is None:
            table, special, running = [], [], 0
            for day in _days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
                working = self.is_working_day(day)
                running += working
                table.append(running)
                if working == (day.weekday() >= 5):
                    special.append(day)
            built = years[year] = (table, special)
        return built

    def _count_to(self, day: dt.date) -> int:
        """Working days from 1 January of day's year up to day, inclusive."""
        return self._year_table(day.year)[day.timetuple().tm_yday - 1]

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The count-th working day after start (start itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return start
        year, target = start.year, self._count_to(start) + count
        for _ in range(_SEARCH_YEARS):
            table = self._year_table(year)
            if target <= table[-1]:
                # The first day whose running count reaches the target is a working day.
                return dt.date(year, 1, 1) + dt.timedelta(days=bisect_left(table, target))
            target -= table[-1]
            year += 1
        raise ValueError(f"no working day within {_SEARCH_LIMIT} days after {start}")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        days = self._count_to(end) - self._count_to(start)
        for year in range(start.year, end.year):
            days += self._year_table(year)[-1]
        return days

    def provisional_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years in [start, end] whose notice is not loaded."""
        low, high = min(start, end), max(start, end)
        return [y for y in range(low.year, high.year + 1) if y not in self.loaded_years]

    def special_days(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, str]]:
        """(date, "holiday" | "workday", name) in (start, end] that differ from Mon-Fri."""
        result = []
        for year in range(start.year, end.year + 1):
            special = self._year(year)[1]
            for day in special[bisect_right(special, start) : bisect_right(special, end)]:
                if day.weekday() >= 5:
                    result.append((day, "workday", self.workdays.get(day, "")))
                else:
                    result.append((day, "holiday", self.holiday_name(day) or ""))
        return result


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY
