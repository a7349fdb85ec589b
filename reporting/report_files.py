"""The report document of a snapshot, in Word, PDF or HTML.

The PDF is LibreOffice's conversion of the Word file; a conversion takes seconds, so it is kept
in file storage per snapshot and generation (a published snapshot never changes, and a new
draft has a new generation time).
"""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .exports import REPORT_TYPES, Export, docx_to_pdf, to_report_docx, to_report_html
from .models import AnnualReport


def report_filename(report: AnnualReport, ext: str) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]+", "_", report.agency.code)
    return f"annual-report-{code}-{report.year}-t{report.template}.{ext}"


def _pdf(report: AnnualReport) -> bytes:
    stamp = report.generated_at.strftime("%Y%m%dT%H%M%S%f")
    path = f"annual-reports/{report.year}/{report.agency.code}/report-{report.pk}-{stamp}.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as fh:
            return fh.read()
    content = docx_to_pdf(to_report_docx(report.table, report.report))
    default_storage.save(path, ContentFile(content))
    return content


def report_file(report: AnnualReport, ext: str) -> Export:
    if ext == "docx":
        content = to_report_docx(report.table, report.report)
    elif ext == "html":
        content = to_report_html(report.table, report.report)
    elif ext == "pdf":
        content = _pdf(report)
    else:  # pragma: no cover - the URLs name the three
        raise ValueError(ext)
    return Export(report_filename(report, ext), REPORT_TYPES[ext], content)
