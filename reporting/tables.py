"""The annual table: section 三 of the 政府信息公开工作年度报告 (收到和处理政府信息公开申请情况).

What a case counts for in year Y (dates are local dates, Asia/Shanghai):
- 一 new_received: received_on in Y;
- 二 carried_over_from_previous_year: received before Y and not concluded before Y;
- 三 the outcome rows: concluded (answered_on) in Y, by outcome; （七）total_handled counts them;
- 四 carried_over_to_next_year: received on or before 31 December Y and not concluded by then;
in the column of its applicant type, and in 总计.

``TableEntry.cells`` states this rule for one case in Python (the period lock uses it);
``annual_table`` computes the same in the database for a whole agency, in a fixed number of
queries whatever the number of cases. The tests hold the two against each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Q

from cases.models import Agency, Case
from cases.vocabulary import annual_table_spec

# The two official layouts; they differ only in row （六）其他处理.
TEMPLATE_NOTICES = {
    "2019": "国办公开办函〔2019〕60号",
    "2021": "国办公开办函〔2021〕30号",
}
TEMPLATES = tuple(TEMPLATE_NOTICES)
TEMPLATE_CHOICES = [(key, notice) for key, notice in TEMPLATE_NOTICES.items()]
ALL_AGENCIES = "all"
ALL_AGENCIES_NAME = "全部机关"
TOTAL = "total"

NEW = "new_received"
CARRIED_IN = "carried_over_from_previous_year"
HANDLED = "total_handled"
CARRIED_OUT = "carried_over_to_next_year"

# The first year of the Regulations (2008) and so of annual reports.
FIRST_YEAR = 2008


def default_template(year: int) -> str:
    """Reports for 2019 and 2020 use the 2019 format; from 2021 on, the 2021 format."""
    return "2019" if year <= 2020 else "2021"


@cache
def columns() -> tuple[dict[str, str], ...]:
    return tuple(annual_table_spec()["columns"])


@cache
def applicant_types() -> tuple[str, ...]:
    return tuple(column["key"] for column in columns() if column["key"] != TOTAL)


def column_keys() -> tuple[str, ...]:
    return tuple(column["key"] for column in columns())


@cache
def template_rows(template: str) -> tuple[dict[str, Any], ...]:
    return tuple(annual_table_spec()["templates"][template]["rows"])


@cache
def outcome_rows(template: str) -> dict[str, str]:
    """outcome key -> the row it feeds in this template."""
    return {
        outcome: row["key"]
        for row in template_rows(template)
        for outcome in row.get("outcomes", ())
    }


def cross_check_text() -> str:
    """The verbatim note printed in the table (the spec adds an English gloss after " — ")."""
    return annual_table_spec()["cross_check"].split(" — ")[0]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


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


# Building the table


def _empty() -> dict[str, int]:
    return dict.fromkeys(column_keys(), 0)


def _scope(agency: Agency | None):
    return Case.objects.all() if agency is None else Case.objects.filter(agency=agency)


def _counts(agency: Agency | None, year: int) -> list[dict[str, Any]]:
    """One query: per agency, applicant type and outcome, the cases year Y's table counts."""
    start, end = year_bounds(year)
    return list(
        _scope(agency)
        .filter(Q(received_on__lte=end), Q(answered_on__isnull=True) | Q(answered_on__gte=start))
        .values("agency_id", "applicant_type", "outcome")
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=start)),
            carried_in=Count("pk", filter=Q(received_on__lt=start)),
            handled=Count("pk", filter=Q(answered_on__lte=end)),
            carried_out=Count("pk", filter=Q(answered_on__isnull=True) | Q(answered_on__gt=end)),
        )
        .order_by()
    )


def _published_carried_out(agency: Agency | None, year: int) -> dict[int, dict[str, int]]:
    """One query: carried-out of year Y per agency from its latest published snapshot."""
    from .models import AnnualReport, ReportStatus

    reports = AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED)
    if agency is not None:
        reports = reports.filter(agency=agency)
    result: dict[int, dict[str, int]] = {}
    for agency_id, table in reports.order_by("agency_id", "published_at", "id").values_list(
        "agency_id", "table"
    ):
        result[agency_id] = row_values(table, CARRIED_OUT)  # later ones overwrite earlier
    return result


def row_values(table: dict[str, Any], key: str) -> dict[str, int]:
    for row in table["rows"]:
        if row["key"] == key:
            return {column: int(row["values"].get(column, 0)) for column in column_keys()}
    raise KeyError(key)


def annual_table(*, agency: Agency | None, year: int, template: str | None = None) -> dict:
    """The table for one agency (or, with ``agency=None``, all agencies summed) and year.

    Two queries whatever the number of cases: the year's counts, and the previous year's
    published snapshots.
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


# Checks


def _label(column: str) -> str:
    return next(c["label"] for c in columns() if c["key"] == column)


def table_checks(table: dict, *, previous: tuple[dict[str, int], str] | None) -> list[dict]:
    """The checks printed with every table. A failed check is reported, never hidden."""
    new, carried_in = row_values(table, NEW), row_values(table, CARRIED_IN)
    handled, carried_out = row_values(table, HANDLED), row_values(table, CARRIED_OUT)
    outcome_keys = set(outcome_rows(table["template"]).values())
    checks = []

    failures = [
        f"{_label(c)}：{new[c]}+{carried_in[c]}≠{handled[c]}+{carried_out[c]}"
        for c in column_keys()
        if new[c] + carried_in[c] != handled[c] + carried_out[c]
    ]
    checks.append(
        {
            "name": "balance",
            "ok": not failures,
            "detail": "；".join(failures)
            if failures
            else f"各列均满足：{cross_check_text()}（总计列：{new[TOTAL]}+{carried_in[TOTAL]}"
            f"={handled[TOTAL]}+{carried_out[TOTAL]}）",
        }
    )

    sums = {c: sum(row_values(table, key)[c] for key in outcome_keys) for c in column_keys()}
    failures = [
        f"{_label(c)}：各项办理结果之和{sums[c]}≠总计{handled[c]}"
        for c in column_keys()
        if sums[c] != handled[c]
    ]
    checks.append(
        {
            "name": "outcomes_sum_to_total",
            "ok": not failures,
            "detail": "；".join(failures)
            if failures
            else f"各列办理结果之和等于（七）总计（总计列：{handled[TOTAL]}）",
        }
    )

    if previous is not None:
        previous_out, source = previous
        last_year = table["year"] - 1
        failures = [
            f"{_label(c)}：上年结转{carried_in[c]}≠{last_year}年结转下年度{previous_out[c]}"
            for c in column_keys()
            if carried_in[c] != previous_out[c]
        ]
        checks.append(
            {
                "name": "carried_in_matches_previous_year",
                "ok": not failures,
                "detail": (
                    "；".join(failures)
                    if failures
                    else f"上年结转与{last_year}年结转下年度一致（总计列：{carried_in[TOTAL]}）"
                )
                + f"。核对依据：{source}",
            }
        )
    return checks
