"""Reads of the report's other tables: section 二 from the figures offices entered, section 四
counted from the appeals, and the fees of section 六 counted from the cases.

What an appeal counts for in year Y's section 四 (dates are local dates):
- decided (``decided_on``) in Y: in its kind's row, in the column of its result;
- filed on or before 31 December Y and not decided by then: 尚未审结 (pending), in every such
  year, so an appeal pending over two year-ends is pending in both years' reports;
- 总计 is counted separately (every appeal the year counts), so the check "总计 is the row's sum"
  catches a result the layout does not know.

``AppealEntry.cells`` states the rule for one appeal in Python (the period lock uses it);
``review_litigation_table`` counts the same in the database in one query. With ``agency=None``
each selector sums every agency (the platform admins' roll-up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from cases.models import Agency, Case

from .layout import year_bounds
from .models import Appeal, ReportContent
from .report_layout import (
    ACTIVE_DISCLOSURE,
    AMOUNT,
    LABEL_HEADER,
    PENDING,
    REVIEW_LITIGATION_COLUMNS,
    REVIEW_LITIGATION_RESULTS,
    REVIEW_LITIGATION_ROWS,
    ROW_OF_KIND,
    SECTION_HEADINGS,
    TOTAL,
    amount_in_ten_thousands,
    format_amount,
)

# Section 四


@dataclass(frozen=True)
class AppealEntry:
    """The facts of an appeal that section 四 reads."""

    kind: str
    filed_on: dt.date
    result: str
    decided_on: dt.date | None

    @classmethod
    def of(cls, appeal: Appeal) -> AppealEntry:
        return cls(appeal.kind, appeal.filed_on, appeal.result, appeal.decided_on)

    def cells(self, year: int) -> frozenset[tuple[str, str]]:
        """The (row, column) cells the appeal counts in, in year Y's section 四 (总计 aside)."""
        start, end = year_bounds(year)
        row = ROW_OF_KIND[self.kind]
        if self.decided_on is not None and start <= self.decided_on <= end:
            return frozenset({(row, self.result)})
        if self.filed_on <= end and (self.decided_on is None or self.decided_on > end):
            return frozenset({(row, PENDING)})
        return frozenset()

    def years(self, *, until: int) -> range:
        """The years whose section 四 may count the appeal."""
        last = self.decided_on.year if self.decided_on else until
        return range(self.filed_on.year, max(last, self.filed_on.year) + 1)


def appeal_changed_years(before: AppealEntry | None, after: AppealEntry, *, until: int) -> list:
    entries = [e for e in (before, after) if e is not None]
    years = sorted({year for entry in entries for year in entry.years(until=until)})
    return [
        year
        for year in years
        if (before.cells(year) if before else frozenset()) != after.cells(year)
    ]


def review_litigation_table(*, agency: Agency | None, year: int) -> dict[str, Any]:
    """Section 四 for one agency (or every agency summed) and year, in one query."""
    start, end = year_bounds(year)
    appeals = Appeal.objects.all() if agency is None else Appeal.objects.filter(agency=agency)
    decided_in_year = Q(decided_on__gte=start, decided_on__lte=end)
    counts = {
        group["kind"]: group
        for group in appeals.filter(
            Q(filed_on__lte=end), Q(decided_on__isnull=True) | Q(decided_on__gte=start)
        )
        .values("kind")
        .annotate(
            **{
                result: Count("pk", filter=decided_in_year & Q(result=result))
                for result in REVIEW_LITIGATION_RESULTS
            },
            pending=Count("pk", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
            total=Count("pk"),
        )
        .order_by()
    }
    rows = []
    for key, label, group, kind in REVIEW_LITIGATION_ROWS:
        found = counts.get(kind, {})
        values = {column: int(found.get(column, 0)) for column, _label in REVIEW_LITIGATION_COLUMNS}
        rows.append({"key": key, "label": label, "group": group, "values": values})
    return {
        "heading": SECTION_HEADINGS["review_litigation"],
        "columns": [{"key": key, "label": label} for key, label in REVIEW_LITIGATION_COLUMNS],
        "rows": rows,
    }


def review_litigation_failures(table: dict[str, Any]) -> list[str]:
    """The rows whose 总计 is not the sum of the other columns."""
    failures = []
    for row in table["rows"]:
        values = row["values"]
        parts = sum(values[key] for key, _label in REVIEW_LITIGATION_COLUMNS if key != TOTAL)
        if parts != values[TOTAL]:
            failures.append(f"{row['group']}{row['label']}：各项之和{parts}≠总计{values[TOTAL]}")
    return failures


# Section 二


def active_disclosure_table(
    *, agency: Agency | None, year: int, template: str, content: ReportContent | None = None
) -> dict[str, Any]:
    """Section 二 in the layout of ``template``: the figures the office entered (``None`` for a
    cell not filled in), or, for every agency, their sums (amounts in 万元)."""
    if agency is None:
        figures_list = [
            (c.active_disclosure or {}).get(template, {})
            for c in ReportContent.objects.filter(year=year).only("active_disclosure")
        ]
    else:
        if content is None:
            content = ReportContent.objects.filter(agency=agency, year=year).first()
        figures_list = [(content.active_disclosure or {}).get(template, {})] if content else []
    groups = []
    for group in ACTIVE_DISCLOSURE[template]:
        rows = []
        for row in group.rows:
            values = {}
            for column in group.columns:
                entered = [
                    value
                    for figures in figures_list
                    if (value := figures.get(row.key, {}).get(column.key)) is not None
                ]
                values[column.key] = _combine(entered, column, summed=agency is None)
            rows.append({"key": row.key, "label": row.label, "values": values})
        groups.append(
            {
                "key": group.key,
                "label": group.label,
                "columns": [
                    {"key": c.key, "label": c.label, "kind": c.kind} for c in group.columns
                ],
                "rows": rows,
            }
        )
    return {
        "heading": SECTION_HEADINGS["active_disclosure"],
        "template": template,
        "label_header": LABEL_HEADER,
        "groups": groups,
    }


def _combine(entered: list, column, *, summed: bool):
    if not entered:
        return None
    if not summed:
        return entered[0]
    if column.kind != AMOUNT:
        return sum(int(value) for value in entered)
    total = sum(
        (amount_in_ten_thousands(value, column.units) for value in entered), Decimal(0)
    ).quantize(Decimal("0.01"))
    return format_amount(total, "万元", column.units)


def missing_figures(table: dict[str, Any]) -> list[str]:
    """The cells of section 二 not filled in (zero is a value; empty is not)."""
    return [
        f"{group['label']}“{row['label']}”的“{column['label']}”"
        for group in table["groups"]
        for row in group["rows"]
        for column in group["columns"]
        if row["values"][column["key"]] is None
    ]


# Section 六


def fee_figures(*, agency: Agency | None, year: int) -> dict[str, Any]:
    """The fees of the year, from the cases' fee records (国办函〔2020〕109号): fee notices issued
    in it; of the fees settled in it, the amount actually collected (the amount paid as
    recorded, else the notice's) and the amount reduced or waived (减免). One query."""
    start, end = year_bounds(year)
    cases = Case.objects.all() if agency is None else Case.objects.filter(agency=agency)
    settled = Q(fee_paid_on__gte=start, fee_paid_on__lte=end)
    figures = cases.aggregate(
        notices=Count("pk", filter=Q(fee_notice_on__gte=start, fee_notice_on__lte=end)),
        charged=Sum(Coalesce("fee_paid_amount", "fee_amount"), filter=settled),
        waived=Sum("fee_waived_amount", filter=settled),
    )
    cent = Decimal("0.01")
    charged = (figures["charged"] or Decimal(0)).quantize(cent)
    waived = (figures["waived"] or Decimal(0)).quantize(cent)
    return {"notices": figures["notices"], "charged": f"{charged:f}", "waived": f"{waived:f}"}
