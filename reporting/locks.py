"""The period lock: once an agency publishes a year's table, no change to a case may alter it.

Every case action runs ``refuse_change_to_published_year`` before it commits (a check on the
extension point ``cases.hooks``), comparing the case's table facts before and after the change.
Only the years whose cells actually change are checked, so answering a case carried out of a
published year, in a later year, is allowed (the published table counted it as carried over,
and still does).

Publication and case changes can race: a case changed while the year is being published could
slip past both. On PostgreSQL a case change takes a shared advisory lock on each (agency, year)
it alters and publication takes the exclusive one, so one waits for the other. SQLite serialises
writers anyway (IMMEDIATE transactions).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from rest_framework import status

from cases import clock
from cases.errors import ApplicationError
from cases.hooks import CaseChange

from .models import PeriodAction, PeriodEvent
from .selectors import TableEntry


class PeriodLocked(ApplicationError):
    """The change would alter the table of a published year."""

    code = "period_locked"
    http_status = status.HTTP_409_CONFLICT


def _advisory_lock(agency_id: int, years: Iterable[int], *, shared: bool) -> None:
    years = sorted(set(years))
    if not years or connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, y) FROM unnest(%s::int[]) AS y", [agency_id, years])


def lock_for_publication(agency_id: int, year: int) -> None:
    """Wait for case changes touching the year to commit, and hold new ones off until we do."""
    _advisory_lock(agency_id, [year], shared=False)


def locked_years(agency_id: int, years: Iterable[int] | None = None) -> set[int]:
    """The agency's years whose latest period event is a publication (one query)."""
    events = PeriodEvent.objects.filter(agency_id=agency_id)
    if years is not None:
        events = events.filter(year__in=list(years))
    latest: dict[int, str] = {}
    for year, action in events.order_by("year", "id").values_list("year", "action"):
        latest[year] = action
    return {year for year, action in latest.items() if action == PeriodAction.PUBLISH}


def changed_years(before: TableEntry | None, after: TableEntry | None) -> list[int]:
    """The years whose table the change from ``before`` to ``after`` alters."""
    entries = [e for e in (before, after) if e is not None]
    if not entries:
        return []
    first = min(e.received_on for e in entries).year
    # An open case counts in every later year; years after next year cannot be published yet.
    last = max([clock.today().year + 1, *(e.answered_on.year for e in entries if e.answered_on)])
    return [
        year
        for year in range(first, last + 1)
        if (before.cells(year) if before else frozenset())
        != (after.cells(year) if after else frozenset())
    ]


def ensure_years_open(*, agency_id: int, years: Iterable[int], what: str = "统计表") -> None:
    """Refuse a change that alters the report of any of ``years`` the agency has published.

    Case changes, appeals (section 四) and the office's figures and texts (sections 一, 二, 五,
    六) all come through here, so publishing locks the whole report."""
    years = sorted(set(years))
    if not years:
        return
    _advisory_lock(agency_id, years, shared=True)
    locked = sorted(locked_years(agency_id, years))
    if locked:
        names = "、".join(f"{year}年" for year in locked)
        raise PeriodLocked(
            f"{names}的政府信息公开工作年度报告已发布，此项修改会改变已发布的{what}。"
            "如确需修改，请由机关管理员先重新开放该年度。",
            fields={"year": locked},
        )


def ensure_period_open(
    *, agency_id: int, before: TableEntry | None, after: TableEntry | None
) -> None:
    ensure_years_open(agency_id=agency_id, years=changed_years(before, after))


def refuse_change_to_published_year(change: CaseChange) -> None:
    """The period lock as a check on every case action (registered in ReportingConfig.ready)."""
    before = TableEntry.of(change.before) if change.before is not None else None
    ensure_period_open(
        agency_id=change.case.agency_id, before=before, after=TableEntry.of(change.case)
    )
