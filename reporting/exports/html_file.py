"""The annual table as a printable HTML page (A4, the column header repeated on every page),
self-contained: no link, script or external resource. The cross-check note and the checks,
a failed one marked, follow the table. The page is the template
``reporting/exports/annual_table.html``; this module only lays the grid out for it. The table
itself is the partial ``reporting/exports/_annual_table.html``, which the desk's annual report
page includes with the same context (``table_context``)."""

from __future__ import annotations

from collections import defaultdict

from django.template.loader import render_to_string

from ..layout import Cell, check_line, grid, report_title, section_heading
from .base import Table, checks

TEMPLATE = "reporting/exports/annual_table.html"
# Column widths (percent of the table): three label columns, then the number columns.
HTML_LABEL_WIDTHS = (7.0, 10.0, 34.0)


def to_html(table: Table) -> bytes:
    return render_to_string(TEMPLATE, table_context(table)).encode("utf-8")


def table_context(table: Table) -> dict:
    """What the table's template needs: title, heading, column widths, header and body rows,
    the cross-check note and the check lines."""
    layout = grid(table)
    number_width = (100 - sum(HTML_LABEL_WIDTHS)) / len(layout.column_keys)
    widths = list(HTML_LABEL_WIDTHS) + [number_width] * len(layout.column_keys)
    # Header rows hold only the column header's cells (scope="col"); every other grid row is
    # one number row: its label cells (scope="row"), then its numbers.
    cells_by_row: dict[int, list[Cell]] = defaultdict(list)
    for cell in sorted(layout.cells, key=lambda cell: (cell.row, cell.col)):
        cells_by_row[cell.row].append(cell)
    return {
        "title": report_title(table),
        "heading": section_heading(table),
        "widths": [f"{width:.2f}" for width in widths],
        "header_rows": [cells_by_row[row] for row in range(layout.header_rows)],
        "body_rows": [
            {
                "key": number_row.key,
                "labels": cells_by_row[number_row.row],
                "numbers": [
                    (key, str(value))
                    for key, value in zip(layout.column_keys, number_row.values, strict=True)
                ],
            }
            for number_row in layout.numbers
        ],
        "cross_check": table["cross_check"],
        "checks": [{"ok": check["ok"], "line": check_line(check)} for check in checks(table)],
    }
