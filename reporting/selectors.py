"""Reads of the reporting app: the annual table, counted in the database, and who may see which.

What a case counts for in year Y's table (dates are local dates, Asia/Shanghai):
- 一 new_received: received_on in Y;
- 二 carried_over_from_previous_year: received before Y and not concluded before Y;
- 三 the outcome rows: concluded (answered_on) in Y, by outcome; （七）total_handled counts them;
- 四 carried_over_to_next_year: received on or before 31 December Y and not concluded by then;
in the column of its applicant type, and in 总计.

``TableEntry.cells`` states this rule for one case in Python (the period lock uses it);
``annual_table`` computes the same in the database for a whole agency, in a fixed number of
queries whatever the number of cases. The tests hold the two against each other. Exports only
format the dict ``annual_table`` returns.

Clerks see their own agency; platform admins see all of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Value

from cases.errors import NotFound, NotPermitted
from cases.models import Agency, Case, User
from cases.vocabulary import annual_table_spec

from .checks import table_checks
from .layout import (
    ALL_AGENCIES,
    ALL_AGENCIES_NAME,
    CARRIED_IN,
    CARRIED_OUT,
    HANDLED,
    NEW,
    TEMPLATE_NOTICES,
    TEMPLATES,
    TOTAL,
    column_keys,
    columns,
    cross_check_text,
    default_template,
    outcome_rows,
    row_values,
    template_rows,
    year_bounds,
)
from .models import AnnualReport, Appeal, PeriodEvent, ReportContent, ReportStatus

# The annual table


@dataclass(frozen=True)
class TableEntry:
    """The four facts of a case that the annual table reads."""

    applicant_type: str
    received_on: dt.date
    answered_on: dt.date | None
    outcome: str

    @classmethod
    def of(cls, case: Case) -> TableEntry:
        return cls(case.applicant_type, case.received_on, case.answered_on, case.outcome)

    def cells(self, year: int) -> frozenset[tuple[str, str]]:
        """The (row, applicant type) cells this case counts in, in year Y's table.

        Outcome cells are named by outcome key (``outcome:<key>``), so the answer is the same in
        both templates.
        """
        start, end = year_bounds(year)
        if self.received_on > end or (self.answered_on is not None and self.answered_on < start):
            return frozenset()
        rows = {NEW if self.received_on >= start else CARRIED_IN}
        if self.answered_on is not None and self.answered_on <= end:
            rows.add(f"outcome:{self.outcome}")
        else:
            rows.add(CARRIED_OUT)
        return frozenset((row, self.applicant_type) for row in rows)


def _empty() -> dict[str, int]:
    return dict.fromkeys(column_keys(), 0)


def _scope(agency: Agency | None) -> QuerySet[Case]:
    return Case.objects.all() if agency is None else Case.objects.filter(agency=agency)


def _counts(agency: Agency | None, year: int) -> list[dict[str, Any]]:
    """One query: per agency, applicant type and outcome, the cases year Y's table counts.

    A case counts in Y when received by its end and not concluded before its start. Read as
    three disjoint range scans, each index-only on an (agency, date, ...) covering index
    (cases' migration 0013), so the query reads what the year needs rather than every case
    received before it: received in Y; received before Y and concluded in or after it; received
    before Y and still open. The rows of the three parts add up (the caller sums them).
    """
    start, end = year_bounds(year)
    every, none = Count("*"), Value(0, output_field=IntegerField())
    answered_in_year = Count("pk", filter=Q(answered_on__lte=end))
    parts = [
        # Received in Y: new; handled if concluded by its end, else carried out.
        (
            Q(received_on__gte=start, received_on__lte=end),
            {
                "new": every,
                "carried_in": none,
                "handled": answered_in_year,
                "carried_out": Count(
                    "pk", filter=Q(answered_on__isnull=True) | Q(answered_on__gt=end)
                ),
            },
        ),
        # Received before Y, concluded in or after it: carried in; handled or carried out.
        (
            Q(received_on__lt=start, answered_on__gte=start),
            {
                "new": none,
                "carried_in": every,
                "handled": answered_in_year,
                "carried_out": Count("pk", filter=Q(answered_on__gt=end)),
            },
        ),
        # Received before Y, still open: carried in and carried out.
        (
            Q(received_on__lt=start, answered_on__isnull=True),
            {"new": none, "carried_in": every, "handled": none, "carried_out": every},
        ),
    ]
    counted = [
        _scope(agency)
        .filter(where)
        .values("agency_id", "applicant_type", "outcome")
        .annotate(**counts)
        .order_by()
        for where, counts in parts
    ]
    return list(counted[0].union(*counted[1:], all=True))


def _published_carried_out(agency: Agency | None, year: int) -> dict[int, dict[str, int]]:
    """One query: carried-out of year Y per agency from its latest published snapshot."""
    reports = AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED)
    if agency is not None:
        reports = reports.filter(agency=agency)
    result: dict[int, dict[str, int]] = {}
    for agency_id, table in reports.order_by("agency_id", "published_at", "id").values_list(
        "agency_id", "table"
    ):
        result[agency_id] = row_values(table, CARRIED_OUT)  # later ones overwrite earlier
    return result


def annual_table(
    *, agency: Agency | None, year: int, template: str | None = None
) -> dict[str, Any]:
    """The table for one agency (or, with ``agency=None``, all agencies summed) and year.

    Two queries whatever the number of cases: the year's counts (three range scans in one
    statement), and the previous year's published snapshots.
    """
    template = template or default_template(year)
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    cells: dict[str, dict[str, int]] = defaultdict(_empty)
    unmapped = _empty()
    # What each agency carries in is, by the same rule, what its cases carried out of Y-1.
    carried_in_by_agency: dict[int, dict[str, int]] = defaultdict(_empty)
    mapping = outcome_rows(template)
    for group in _counts(agency, year):
        column = group["applicant_type"]
        carried_in_by_agency[group["agency_id"]][column] += group["carried_in"]
        carried_in_by_agency[group["agency_id"]][TOTAL] += group["carried_in"]
        for key, n in (
            (NEW, group["new"]),
            (CARRIED_IN, group["carried_in"]),
            (HANDLED, group["handled"]),
            (CARRIED_OUT, group["carried_out"]),
        ):
            cells[key][column] += n
            cells[key][TOTAL] += n
        if group["handled"]:
            target = mapping.get(group["outcome"])
            bucket = cells[target] if target else unmapped
            bucket[column] += group["handled"]
            bucket[TOTAL] += group["handled"]

    rows = []
    for row in template_rows(template):
        values = {} if row["kind"] == "header" else dict(cells[row["key"]])
        rows.append(
            {"key": row["key"], "label": row["label"], "kind": row["kind"], "values": values}
        )

    table = {
        "agency": agency.code if agency else ALL_AGENCIES,
        "agency_name": agency.name if agency else ALL_AGENCIES_NAME,
        "year": year,
        "template": template,
        "template_notice": TEMPLATE_NOTICES[template],
        "title": annual_table_spec()["title"],
        "column_group_label": annual_table_spec()["column_group_label"],
        "cross_check": cross_check_text(),
        "columns": [dict(column) for column in columns()],
        "rows": rows,
    }
    previous = _previous_carried_out(agency, year, live=carried_in_by_agency)
    table["checks"] = table_checks(table, previous=previous)
    return table


def _previous_carried_out(
    agency: Agency | None, year: int, *, live: dict[int, dict[str, int]]
) -> tuple[dict[str, int], str]:
    """Carried-out of Y-1: each agency's published snapshot where it has one, else its cases
    (``live``, per agency)."""
    published = _published_carried_out(agency, year - 1)
    total = _empty()
    for agency_id in set(live) | set(published):
        values = published.get(agency_id, live.get(agency_id, _empty()))
        for column in column_keys():
            total[column] += values[column]
    if agency is not None:
        source = "已发布的上年度报告" if published else "上年度案件数据（上年度报告尚未发布）"
    elif published:
        source = f"上年度报告（{len(published)}个机关已发布，其余按案件数据）"
    else:
        source = "上年度案件数据（上年度报告均未发布）"
    return total, source


# Who sees which table, snapshot and period log


def table_scope(*, user: User, code: str | None) -> Agency | None:
    """The agency whose table the user asks for; None means all agencies (the roll-up).

    Without a code, a clerk gets their agency and a platform admin the roll-up.
    """
    code = (code or "").strip()
    if not code:
        if user.agency_id is not None and not user.is_platform_admin:
            return user.agency
        if user.is_platform_admin:
            return None
        raise NotFound("您不属于任何机关")
    if code.lower() == ALL_AGENCIES:
        if not user.is_platform_admin:
            raise NotPermitted("全部机关的汇总表仅平台管理员可查看")
        return None
    agency = Agency.objects.filter(code=code.upper()).first()
    if agency is None or not user.may_see(agency.pk):
        # Word for word the same for an unknown code and another agency's (the code is not
        # echoed either), so codes cannot be probed for which agencies exist.
        message = "机关不存在或不属于您所在的机关"
        raise NotFound(message, fields={"agency": message})
    return agency


def annual_report_list(*, user: User) -> QuerySet[AnnualReport]:
    reports = AnnualReport.objects.select_related("agency", "generated_by", "published_by")
    if user.is_platform_admin:
        return reports
    return reports.filter(agency_id=user.agency_id)


def period_events(*, user: User, agency: Agency | None) -> QuerySet[PeriodEvent]:
    events = PeriodEvent.objects.select_related("agency", "actor", "report")
    if agency is not None:
        events = events.filter(agency=agency)
    elif not user.is_platform_admin:
        events = events.filter(agency_id=user.agency_id)
    return events.order_by("agency__code", "year", "id")


def appeal_list(*, user: User) -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related("agency", "case", "new_case")
    if user.is_platform_admin:
        return appeals
    return appeals.filter(agency_id=user.agency_id)


def report_content_list(*, user: User) -> QuerySet[ReportContent]:
    contents = ReportContent.objects.select_related("agency", "updated_by")
    if user.is_platform_admin:
        return contents
    return contents.filter(agency_id=user.agency_id)
