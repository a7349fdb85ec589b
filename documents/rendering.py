"""Rendering: one function from (template, context) to DOCX bytes, and DOCX to PDF.

Templates are data: a .docx per kind with docxtpl (Jinja) tags, shipped in
``documents/default_templates/`` or uploaded by an agency. Uploaded templates come from outside
the code, so Jinja runs sandboxed (no attribute access to Python internals) and values are
XML-escaped. PDFs are made by LibreOffice headless with a profile directory of its own per
call, so that parallel conversions do not share (and lock) one profile, and with a fontconfig
file that maps the fonts of Chinese official documents to the CJK fonts installed.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .vocabulary import DRAFT_MARK

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "default_templates"
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"


class TemplateError(Exception):
    """The template cannot be used: not a .docx, bad tags, or it fails with the data."""


class PdfRenderError(Exception):
    """LibreOffice did not produce a PDF (missing, crashed, timed out)."""


def default_template(kind: str) -> bytes:
    return (DEFAULT_TEMPLATES / f"{kind}.docx").read_bytes()


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _open(template: bytes) -> DocxTemplate:
    if not zipfile.is_zipfile(io.BytesIO(template)):
        raise TemplateError("文件不是Word文档（.docx）")
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise TemplateError("文件不是Word文档（.docx）")
    document = DocxTemplate(io.BytesIO(template))
    try:
        document.init_docx()
    except Exception as err:  # python-docx's errors vary with the damage
        raise TemplateError(f"无法读取该Word文档：{err}") from None
    return document


def undeclared_placeholders(template: bytes) -> set[str]:
    """Every placeholder the template uses (loop variables excluded)."""
    try:
        return set(_open(template).get_undeclared_template_variables(_environment()))
    except TemplateError:
        raise
    except Exception as err:  # Jinja syntax errors and damaged XML
        raise TemplateError(f"模板标记有误：{err}") from None


def render_docx(template: bytes, context: dict) -> bytes:
    """The one rendering function: the template filled with the context, as .docx bytes.

    A context with ``is_draft`` gets a 草稿 mark at the top and in the header, whatever the
    template, so a preview can never pass for an issued document.
    """
    document = _open(template)
    try:
        document.render(context, jinja_env=_environment(), autoescape=True)
    except Exception as err:  # Jinja errors, sandbox refusals, tags that break the XML
        raise TemplateError(f"模板无法生成文书：{err}") from None
    if context.get("is_draft"):
        _mark_draft(document.docx)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _mark_draft(docx) -> None:
    body = docx.paragraphs
    mark = body[0].insert_paragraph_before() if body else docx.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = mark.add_run(f"{DRAFT_MARK}（未签发，不具效力）")
    run.bold = True
    run.font.size = Pt(18)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    for section in docx.sections:
        header = section.header
        header.is_linked_to_previous = False
        header.add_paragraph(DRAFT_MARK).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice headless; raise PdfRenderError when no PDF comes out."""
    with tempfile.TemporaryDirectory(prefix="documents-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [
            settings.DOCUMENTS_SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                timeout=settings.DOCUMENTS_PDF_TIMEOUT,
                env=env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise PdfRenderError(f"LibreOffice could not run: {err}") from err
        target = folder / "document.pdf"
        if result.returncode != 0 or not target.exists():
            output = (result.stderr or result.stdout).decode(errors="replace")[-1000:]
            raise PdfRenderError(f"LibreOffice exited {result.returncode}: {output}")
        return target.read_bytes()
