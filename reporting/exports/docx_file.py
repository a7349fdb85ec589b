"""The annual table as a Word document: section 三's heading and the table in the official layout,
A4 portrait, the column header repeated on every page. No working notes under the table, so that
it can be pasted into the report as it is: the API and the report page show the checks."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..layout import report_title, section_heading
from ..report_layout import PrintedTable, requests_grid
from .base import FONT, FONT_SIZE, Table

# Section 三's column widths (reporting.report_layout.requests_grid) fill A4 with 20 mm side
# margins (170 mm of text width): labels 12, 17, 57 mm, numbers 12 mm, so that column labels
# wrap two characters a line, as in the published tables. Cell margins 1 mm.
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


def style_document(document, *, title: str, subject: str = "") -> None:
    """A4 portrait, 20 mm side margins, the official font."""
    document.core_properties.title = title
    document.core_properties.subject = subject
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(FONT_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)


def add_heading(document, text: str, *, size: float = 16):
    heading = document.add_heading(level=2)
    _docx_font(heading.add_run(text), size=size, bold=True, color="000000")
    return heading


def add_grid(document, printed: PrintedTable, *, width_mm: float = 170.0):
    """A table of merged cells as the printed layout describes it; header rows repeat on
    every page, no row splits across pages."""
    total = sum(printed.widths)
    widths = [width * width_mm / total for width in printed.widths]
    docx_table = document.add_table(rows=printed.n_rows, cols=printed.n_cols)
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
    # Merged ranges are disjoint, so each range's corners stay valid.
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
        if index < printed.header_rows:  # repeat the column header on every page
            properties.append(OxmlElement("w:tblHeader"))
    for cell in printed.cells:
        target = cells[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[cell.last_row][cell.last_col])
        align = WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        _docx_write(target, cell.text, align=align, bold=cell.kind == "header")
    return docx_table


def to_docx(table: Table) -> bytes:
    document = Document()
    style_document(document, title=report_title(table), subject=table.get("template_notice", ""))
    add_heading(document, section_heading(table))
    add_grid(document, requests_grid(table))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
