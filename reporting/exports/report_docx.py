"""The whole annual report as one Word document, laid out like the published reports: the title,
the opening paragraph, the six sections with their official headings, the three tables in
their official layouts (merged header cells), and page numbers in the footer ("- 1 -").

It prints a snapshot: section 三's table dict (``AnnualReport.table``) and the rest of the
report (``AnnualReport.report``); the working notes (checks) stay out of it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..report_layout import (
    active_disclosure_grid,
    requests_grid,
    review_litigation_grid,
)
from .base import Table
from .docx_file import _docx_font, add_grid, add_heading, style_document

BODY_SIZE = 14.0  # 四号
TITLE_SIZE = 18.0  # 小二
FONT_FOOTER = 10.5  # 五号
# "（一）…" opens a subsection: printed in bold, as the published reports do.
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")


def paragraphs(text: str) -> list[str]:
    """The office's text, one paragraph per line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _body(document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph_format = paragraph.paragraph_format
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.5
    if indent:
        paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)  # two characters
    _docx_font(paragraph.add_run(text), size=BODY_SIZE, bold=bold)


def _text(document, text: str) -> None:
    for line in paragraphs(text):
        _body(document, line, bold=bool(SUBHEADING.match(line)))


def _page_numbers(document) -> None:
    """A centred "- PAGE -" field in the footer of every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(paragraph.add_run("- "), size=FONT_FOOTER)
    run = paragraph.add_run()
    _docx_font(run, size=FONT_FOOTER)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _docx_font(paragraph.add_run(" -"), size=FONT_FOOTER)


def to_report_docx(table: Table, report: dict[str, Any]) -> bytes:
    document = Document()
    style_document(document, title=report["title"], subject=report.get("template_notice", ""))
    headings = report["headings"]

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _docx_font(title.add_run(report["title"]), size=TITLE_SIZE, bold=True)
    _body(document, report["opening"])

    add_heading(document, headings["general"])
    _text(document, report["general"])
    add_heading(document, headings["active_disclosure"])
    add_grid(document, active_disclosure_grid(report["active_disclosure"]))
    add_heading(document, headings["requests"])
    add_grid(document, requests_grid(table))
    add_heading(document, headings["review_litigation"])
    add_grid(document, review_litigation_grid(report["review_litigation"]))
    add_heading(document, headings["problems"])
    _text(document, report["problems"])
    add_heading(document, headings["other_matters"])
    _text(document, report["other_matters"])
    if report.get("fee_statement"):
        _text(document, report["fee_statement"])
    _page_numbers(document)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
