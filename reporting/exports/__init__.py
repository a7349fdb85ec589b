"""Exports of the annual table: XLSX, DOCX, HTML, CSV and JSON, all from the table dict that
``reporting.selectors.annual_table`` returns (or a snapshot stored). One module per format.

Every format prints the official layout of ``reporting.layout`` (three label columns, seven number
columns, merged cells as in the published reports) and the numbers exactly as in the dict. The
checks, a failed one visibly marked, are working notes: the XLSX keeps them on a second sheet
("核对"), the DOCX leaves them out so the table can be pasted into the report as it is, and the
HTML and CSV list them after the table. The Chinese texts come from the dict; the only fixed
words are those of the title ("年政府信息公开工作年度报告", "三、"), the sheet names
("年申请情况", "核对"), the check lines ("核对：", "通过"/"未通过") and the CSV's first header
cell ("项目").
"""

from __future__ import annotations

from .base import Export, ExportFormat, Table, filename
from .csv_file import csv_column_names, to_csv
from .docx_file import to_docx
from .html_file import to_html
from .json_file import to_json
from .pdf import PdfUnavailable, docx_to_pdf
from .report_docx import to_report_docx
from .report_html import to_report_html
from .xlsx_file import to_xlsx

# format key (the API's ?format=) -> how it is served and rendered.
EXPORTS: dict[str, ExportFormat] = {
    "csv": ExportFormat("text/csv; charset=utf-8", to_csv, "csv"),
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx, "xlsx"
    ),
    "html": ExportFormat("text/html; charset=utf-8", to_html, "html"),
    "docx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        to_docx,
        "docx",
    ),
    "json": ExportFormat("application/json", to_json, "json"),
}


# The whole report (reporting.report_files): format key -> content type.
REPORT_TYPES = {
    "docx": EXPORTS["docx"].content_type,
    "pdf": "application/pdf",
    "html": EXPORTS["html"].content_type,
}


def export_table(table: Table, key: str) -> Export:
    """The table rendered in the format ``key`` of ``EXPORTS``, with its file name."""
    export_format = EXPORTS[key]
    return Export(
        filename=filename(table, export_format.extension),
        content_type=export_format.content_type,
        content=export_format.render(table),
    )


__all__ = [
    "EXPORTS",
    "REPORT_TYPES",
    "Export",
    "ExportFormat",
    "PdfUnavailable",
    "Table",
    "csv_column_names",
    "docx_to_pdf",
    "export_table",
    "filename",
    "to_csv",
    "to_docx",
    "to_html",
    "to_json",
    "to_report_docx",
    "to_report_html",
    "to_xlsx",
]
