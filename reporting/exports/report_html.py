"""The whole annual report as one self-contained HTML page for the agency's 政府信息公开专栏:
the same content and tables as the Word document, with no link, script, image or other external
resource, so the page can be uploaded as it is. The page is the template
``reporting/exports/annual_report.html``; this module lays the three grids out for it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.template.loader import render_to_string

from ..report_layout import (
    PrintedTable,
    active_disclosure_grid,
    requests_grid,
    review_litigation_grid,
)
from .base import Table
from .report_docx import SUBHEADING, paragraphs

TEMPLATE = "reporting/exports/annual_report.html"


def _rows(printed: PrintedTable) -> dict[str, Any]:
    by_row = defaultdict(list)
    for cell in sorted(printed.cells, key=lambda cell: (cell.row, cell.col)):
        by_row[cell.row].append(cell)
    total = sum(printed.widths)
    return {
        "widths": [f"{100 * width / total:.2f}" for width in printed.widths],
        "head": [by_row[row] for row in range(printed.header_rows)],
        "body": [by_row[row] for row in range(printed.header_rows, printed.n_rows)],
    }


def _text(text: str) -> list[dict[str, Any]]:
    return [{"text": line, "sub": bool(SUBHEADING.match(line))} for line in paragraphs(text)]


def to_report_html(table: Table, report: dict[str, Any]) -> bytes:
    context = {
        "report": report,
        "headings": report["headings"],
        "general": _text(report["general"]),
        "problems": _text(report["problems"]),
        "other_matters": _text(report["other_matters"]) + _text(report.get("fee_statement", "")),
        "tables": {
            "active_disclosure": _rows(active_disclosure_grid(report["active_disclosure"])),
            "requests": _rows(requests_grid(table)),
            "review_litigation": _rows(review_litigation_grid(report["review_litigation"])),
        },
    }
    return render_to_string(TEMPLATE, context).encode("utf-8")
