"""Exports of the annual table: XLSX, DOCX, HTML, CSV and JSON, all from the table dict.

Every format prints the official layout of ``reporting.layout`` (three label columns, seven number
columns, merged cells as in the published reports) and the numbers exactly as in the dict. The
checks, a failed one visibly marked, are working notes: the XLSX keeps them on a second sheet
("核对"), the DOCX leaves them out so the table can be pasted into the report as it is, and the
HTML and CSV list them after the table. The Chinese texts come from the dict; the only fixed
words are those of the title ("年政府信息公开工作年度报告", "三、"), the sheet names
("年申请情况", "核对"), the check lines ("核对：", "通过"/"未通过") and the CSV's first header
cell ("项目").

CSV: UTF-8 with a BOM so that Excel opens it as Chinese text. First line ``项目`` and one cell per
column; a column with a group is named "<group>-<label>" (e.g. "法人或其他组织-商业企业"), since
labels alone are ambiguous there ("其他"). Then one line per table row, in order, with the row's
label verbatim (header rows with empty number cells), an empty line, the cross-check note and one
line per check ("核对：通过 ..." or "核对：未通过 ...").
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections.abc import Callable
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .layout import Cell, Grid, check_line, grid, report_title, section_heading, sheet_title

FONT = "宋体"
CHECKS_SHEET = "核对"  # the XLSX's second sheet: the working notes
FONT_SIZE = 10.5  # 五号
FAILED_COLOR = "C00000"

Table = dict[str, Any]


def _checks(table: Table) -> list[dict[str, Any]]:
    return list(table.get("checks", ()))


# XLSX

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
        (check_line(check), check["ok"]) for check in _checks(table)
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


# DOCX

# Column widths (mm) on A4 with 20 mm side margins (170 mm of text width); cell margins 1 mm.
# Column labels wrap two characters a line, as in the published tables.
DOCX_LABEL_WIDTHS = (12.0, 17.0, 57.0)
DOCX_NUMBER_WIDTH = 12.0
DOCX_CELL_MARGIN_TWIPS = 57
DOCX_MIN_ROW_HEIGHT = Mm(6)


def _docx_font(run, *, size: float = FONT_SIZE, bold: bool = False, color: str | None = None):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _docx_write(cell, text: str, *, align, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    _docx_font(paragraph.add_run(text), bold=bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def to_docx(table: Table) -> bytes:
    layout = grid(table)
    document = Document()
    document.core_properties.title = report_title(table)
    document.core_properties.subject = table.get("template_notice", "")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(FONT_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)

    heading = document.add_heading(level=2)
    _docx_font(heading.add_run(section_heading(table)), size=16, bold=True, color="000000")

    widths = list(DOCX_LABEL_WIDTHS) + [DOCX_NUMBER_WIDTH] * len(layout.column_keys)
    docx_table = document.add_table(rows=layout.n_rows, cols=layout.n_cols)
    docx_table.style = "Table Grid"
    docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    docx_table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(DOCX_CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    docx_table._tbl.tblPr.append(margins)
    # The grid's cells, taken once before merging (looking cells up one by one is quadratic).
    # Merged ranges are disjoint, so each range's corners and the number cells stay valid.
    cells = [list(row.cells) for row in docx_table.rows]
    for index, width in enumerate(widths):
        docx_table.columns[index].width = Mm(width)
        for row in cells:
            row[index].width = Mm(width)
    for index, row in enumerate(docx_table.rows):
        row.height = DOCX_MIN_ROW_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index < layout.header_rows:  # repeat the column header on every page
            properties.append(OxmlElement("w:tblHeader"))

    for cell in layout.cells:
        target = cells[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[cell.last_row][cell.last_col])
        align = WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        _docx_write(target, cell.text, align=align, bold=cell.kind == "header")
    for number_row in layout.numbers:
        for index, value in enumerate(number_row.values):
            target = cells[number_row.row][layout.label_columns + index]
            _docx_write(target, str(value), align=WD_ALIGN_PARAGRAPH.CENTER)

    # No working notes under the table: the API and the report page show the checks.

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# HTML

_CSS = """
@page { size: A4; margin: 20mm 15mm; }
body {
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC",
    "Noto Sans CJK SC", "Microsoft YaHei", serif;
  font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 180mm;
}
h1 { font-size: 16pt; text-align: center; margin: 0 0 8pt; }
h2 { font-size: 14pt; margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: middle; }
th { font-weight: normal; }
thead th { font-weight: bold; text-align: center; }
th.group { text-align: center; }
th.label { text-align: left; }
td { text-align: center; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.note { margin: 6pt 0 0; }
ul.checks { list-style: none; padding: 0; margin: 4pt 0 0; }
li.failed { color: #c00000; font-weight: bold; }
"""

# Column widths (percent of the table): three label columns, then the number columns.
HTML_LABEL_WIDTHS = (7.0, 10.0, 34.0)


def to_html(table: Table) -> bytes:
    layout = grid(table)
    esc = html.escape
    number_width = (100 - sum(HTML_LABEL_WIDTHS)) / len(layout.column_keys)
    widths = list(HTML_LABEL_WIDTHS) + [number_width] * len(layout.column_keys)

    starts: dict[int, list[tuple[int, str]]] = {row: [] for row in range(layout.n_rows)}
    for cell in layout.cells:
        spans = "".join(
            f' {name}="{value}"'
            for name, value in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
            if value > 1
        )
        scope = ' scope="col"' if cell.kind == "header" else ' scope="row"'
        css = "" if cell.kind == "header" else f' class="{cell.kind}"'
        starts[cell.row].append((cell.col, f"<th{css}{scope}{spans}>{esc(cell.text)}</th>"))
    row_keys = {}
    for number_row in layout.numbers:
        row_keys[number_row.row] = number_row.key
        for index, (key, value) in enumerate(
            zip(layout.column_keys, number_row.values, strict=True)
        ):
            col = layout.label_columns + index
            starts[number_row.row].append((col, f'<td data-column="{esc(key)}">{value}</td>'))

    def row_html(row: int) -> str:
        cells = "".join(text for _, text in sorted(starts[row]))
        key = f' data-row="{esc(row_keys[row])}"' if row in row_keys else ""
        return f"<tr{key}>{cells}</tr>"

    title = report_title(table)
    heading = section_heading(table)
    head = "\n".join(row_html(row) for row in range(layout.header_rows))
    body = "\n".join(row_html(row) for row in range(layout.header_rows, layout.n_rows))
    cols = "".join(f'<col style="width: {width:.2f}%">' for width in widths)
    checks = "\n".join(
        f'<li class="check {"ok" if check["ok"] else "failed"}">{esc(check_line(check))}</li>'
        for check in _checks(table)
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{esc(title)} {esc(heading)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{esc(title)}</h1>
<h2>{esc(heading)}</h2>
<table class="annual-table">
<colgroup>{cols}</colgroup>
<thead>
{head}
</thead>
<tbody>
{body}
</tbody>
</table>
<p class="note">{esc(table["cross_check"])}</p>
<ul class="checks">
{checks}
</ul>
</body>
</html>
"""
    return page.encode("utf-8")


# CSV and JSON


def csv_column_names(table: Table) -> list[str]:
    return [
        f"{column['group']}-{column['label']}" if column.get("group") else column["label"]
        for column in table["columns"]
    ]


def to_csv(table: Table) -> bytes:
    keys = [column["key"] for column in table["columns"]]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["项目", *csv_column_names(table)])
    for row in table["rows"]:
        if row["kind"] == "header":
            writer.writerow([row["label"], *([""] * len(keys))])
        else:
            writer.writerow([row["label"], *(int(row["values"][key]) for key in keys)])
    writer.writerow([])
    writer.writerow([table["cross_check"]])
    for check in _checks(table):
        writer.writerow([check_line(check)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(table: Table) -> bytes:
    return json.dumps(table, ensure_ascii=False, indent=2).encode("utf-8")


# Registry


def filename(table: Table, ext: str) -> str:
    """An ASCII-safe file name, e.g. ``annual-table-FJRST-2019-t2019.xlsx``."""

    def safe(value: Any) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "_", str(value)).strip("_") or "x"

    return (
        f"annual-table-{safe(table['agency'])}-{safe(table['year'])}-t{safe(table['template'])}"
        f".{safe(ext).lower()}"
    )


Exporter = Callable[[Table], bytes]

EXPORTS: dict[str, tuple[str, Exporter, str]] = {
    "csv": ("text/csv; charset=utf-8", to_csv, "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx, "xlsx"),
    "html": ("text/html; charset=utf-8", to_html, "html"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        to_docx,
        "docx",
    ),
    "json": ("application/json", to_json, "json"),
}
