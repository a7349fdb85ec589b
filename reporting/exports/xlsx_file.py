"""The annual table as an Excel workbook: the official layout on the first sheet, ready to paste
into the report, and the working notes (the cross-check note and the checks, a failed one in
red) on a second sheet, "核对". A4 portrait, one page wide, the column header repeated on every
page."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..layout import Cell, Grid, check_line, grid, report_title, section_heading, sheet_title
from .base import FAILED_COLOR, FONT, FONT_SIZE, Table, checks

CHECKS_SHEET = "核对"  # the second sheet: the working notes
XLSX_TOP = 4  # sheet row of the table's first row (title, heading, spacer above it)
# Column widths (Excel character units): three label columns, then the number columns.
XLSX_LABEL_WIDTHS = (6.0, 9.0, 30.0)
XLSX_NUMBER_WIDTH = 8.0
XLSX_LINE_HEIGHT = 14.0


def _text_width(text: str) -> float:
    """Width of a text in Excel character units (CJK characters are about two)."""
    return sum(1.0 if ord(char) < 0x2E80 else 2.0 for char in text)


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(_text_width(text) / max(width - 1.0, 1.0)))


def _xlsx_widths(layout: Grid) -> list[float]:
    return list(XLSX_LABEL_WIDTHS) + [XLSX_NUMBER_WIDTH] * len(layout.column_keys)


def _xlsx_heights(layout: Grid, widths: list[float]) -> list[float]:
    """Row heights (points) so that every wrapped label fits its cell."""
    heights = [XLSX_LINE_HEIGHT + 4] * layout.n_rows

    def needed(cell: Cell) -> float:
        width = sum(widths[cell.col : cell.last_col + 1])
        return _lines(cell.text, width) * XLSX_LINE_HEIGHT + 4

    for cell in layout.cells:
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], needed(cell))
    for cell in layout.cells:
        if cell.rowspan > 1:
            rows = range(cell.row, cell.last_row + 1)
            missing = needed(cell) - sum(heights[row] for row in rows)
            if missing > 0:
                for row in rows:
                    heights[row] += missing / cell.rowspan
    return heights


def to_xlsx(table: Table) -> bytes:
    layout = grid(table)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(table)
    workbook.properties.title = report_title(table)
    workbook.properties.subject = table.get("template_notice", "")

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=FONT_SIZE)
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    last_col = layout.n_cols

    widths = _xlsx_widths(layout)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    # Title and section heading above the table.
    for sheet_row, text, size, align in (
        (1, report_title(table), 14, "center"),
        (2, section_heading(table), 12, "left"),
    ):
        ws.merge_cells(start_row=sheet_row, start_column=1, end_row=sheet_row, end_column=last_col)
        cell = ws.cell(sheet_row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=True)
        cell.alignment = Alignment(horizontal=align, vertical="center")
        ws.row_dimensions[sheet_row].height = size * 2
    ws.row_dimensions[3].height = 6

    # The table: merges first, then every cell of the grid gets its border, font and alignment.
    for cell in layout.cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=XLSX_TOP + cell.row,
                start_column=1 + cell.col,
                end_row=XLSX_TOP + cell.last_row,
                end_column=1 + cell.last_col,
            )
    for row in range(layout.n_rows):
        for col in range(layout.n_cols):
            target = ws.cell(XLSX_TOP + row, 1 + col)
            target.border = border
            target.font = font
            target.alignment = centre
    for cell in layout.cells:
        target = ws.cell(XLSX_TOP + cell.row, 1 + cell.col, cell.text)
        target.font = bold if cell.kind == "header" else font
        target.alignment = left if cell.kind == "label" else centre
    for number_row in layout.numbers:
        for index, value in enumerate(number_row.values):
            target = ws.cell(XLSX_TOP + number_row.row, 1 + layout.label_columns + index, value)
            target.number_format = "0"
    for row, height in enumerate(_xlsx_heights(layout, widths)):
        ws.row_dimensions[XLSX_TOP + row].height = height

    # The table stands alone on its sheet, ready to paste into the report; the cross-check note
    # and the checks are the office's working notes and go on a sheet of their own.
    sheet_row = XLSX_TOP + layout.n_rows
    notes_sheet = workbook.create_sheet(CHECKS_SHEET)
    notes_sheet.column_dimensions["A"].width = 100
    notes = [(table["cross_check"], True)] + [
        (check_line(check), check["ok"]) for check in checks(table)
    ]
    for notes_row, (text, ok) in enumerate(notes, start=1):
        cell = notes_sheet.cell(notes_row, 1, text)
        cell.font = font if ok else Font(name=FONT, size=FONT_SIZE, bold=True, color=FAILED_COLOR)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        notes_sheet.row_dimensions[notes_row].height = _lines(text, 100) * XLSX_LINE_HEIGHT + 4

    # Printing: A4 portrait, one page wide, the column header repeated on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.print_title_rows = f"{XLSX_TOP}:{XLSX_TOP + layout.header_rows - 1}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{sheet_row - 1}"
    workbook.active = 0

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
