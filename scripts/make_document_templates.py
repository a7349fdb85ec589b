"""Write the default Word templates of the statutory documents (documents/default_templates/).

Run once after changing the layout, and commit the .docx files it writes:

    .venv/bin/python scripts/make_document_templates.py

The layout follows GB/T 9704-2012 (党政机关公文格式) as offices use it for letters to the public:
A4, the agency's name at the top in red, the number on the right, the title in 小标宋 二号, the
text in 仿宋_GB2312 三号 with a two-character first-line indent, the signature block (agency,
seal placeholder, date in Arabic numerals) on the right, the office's contact details last. The
placeholders are docxtpl (Jinja) tags; README.md lists them for offices making their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "documents" / "default_templates"
sys.path.insert(0, str(ROOT))

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
RED = RGBColor(0xC0, 0x00, 0x00)


def _fonts(element, east_asia: str) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _paragraph(
    doc,
    text: str,
    *,
    align=None,
    indent=False,
    size=BODY_SIZE,
    font=BODY_FONT,
    bold=False,
    color=None,
    space_after=0,
):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(28)  # 22 lines a page
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters
    run = paragraph.add_run(text)
    run.font.size = size
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._element, font)
    return paragraph


def make(kind: str, with_remedies: bool) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _fonts(normal.element, BODY_FONT)

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(
        doc,
        "{{ agency_name }}",
        align=center,
        size=Pt(26),
        font=TITLE_FONT,
        color=RED,
        space_after=6,
    )
    _paragraph(doc, "{{ number }}", align=right, space_after=12)
    _paragraph(doc, "{{ title }}", align=center, size=TITLE_SIZE, font=TITLE_FONT, space_after=12)
    _paragraph(doc, "{{ addressee }}：")
    _paragraph(doc, "{%p for paragraph in body_paragraphs %}")
    _paragraph(doc, "{{ paragraph }}", indent=True)
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "法律依据：{{ legal_basis }}", indent=True)
    if with_remedies:
        _paragraph(doc, "{{ remedies }}", indent=True)
    _paragraph(
        doc,
        "申请编号：{{ case_reference }}；收到申请日期：{{ received_on }}；"
        "申请人：{{ applicant_name }}；所需信息：{{ request_summary }}",
        indent=True,
        size=Pt(12),
    )
    _paragraph(doc, "")
    _paragraph(doc, "{{ agency_name }}", align=right)
    _paragraph(doc, "{{ seal }}", align=right)
    _paragraph(doc, "{{ issued_on }}", align=right, space_after=12)
    _paragraph(doc, "（联系方式：{{ contact }}）", indent=True, size=Pt(14))
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.author = "{{ agency_name }}"
    return doc


def main() -> None:
    from documents.vocabulary import DocumentKind

    TARGET.mkdir(parents=True, exist_ok=True)
    for kind in DocumentKind.values:
        path = TARGET / f"{kind}.docx"
        make(kind, with_remedies=kind == DocumentKind.REPLY).save(path)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
