"""A document's files: the DOCX made at issue, the PDF made from it later, draft previews."""

from __future__ import annotations

import hashlib
import json
import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from cases.errors import ApplicationError, InvalidInput, TransitionRefused

from .. import rendering, selectors
from ..contexts import document_context
from ..models import Document
from ..vocabulary import DRAFT_MARK, DocumentStatus

log = logging.getLogger(__name__)

PREVIEW_CACHE_SECONDS = 600


class RenderUnavailable(ApplicationError):
    """LibreOffice could not make a PDF just now (a preview is made while the clerk waits)."""

    code = "render_unavailable"
    http_status = 503


def file_stem(document: Document) -> str:
    """The name a download carries: the number (or 草稿) and the case reference."""
    reference = document.case.reference or f"case{document.case_id}"
    if document.number:
        return f"{document.number}_{reference}"
    return f"{DRAFT_MARK}_{reference}_{document.title}"


def _storage_name(document: Document, extension: str) -> str:
    # ASCII on disk; the number is in the download name.
    reference = document.case.reference or f"case{document.case_id}"
    return (
        f"{document.agency.code}/{reference}/"
        f"{document.kind}-{document.year}-{document.sequence}-{document.pk}.{extension}"
    )


def render_document_docx(document: Document, *, draft: bool) -> bytes:
    template, _own = selectors.template_for(document.agency, document.kind)
    settings = selectors.settings_for(document.agency)
    context = document_context(document, settings, draft=draft)
    try:
        return rendering.render_docx(template, context)
    except rendering.TemplateError as err:
        raise InvalidInput(
            f"文书模板无法生成文书，请机关管理员检查模板：{err}", fields={"template": str(err)}
        ) from None


def store_docx(document: Document) -> None:
    """Render the issued document (number and date filled in) and attach its DOCX."""
    content = render_document_docx(document, draft=False)
    document.docx.save(_storage_name(document, "docx"), ContentFile(content), save=False)


def _render_preview(document: Document) -> tuple[bytes, str]:
    """The draft's DOCX, and a key that changes whenever its template or context does."""
    template, _own = selectors.template_for(document.agency, document.kind)
    settings = selectors.settings_for(document.agency)
    context = document_context(document, settings, draft=True)
    digest = hashlib.sha256(template)
    digest.update(json.dumps(context, sort_keys=True, default=str).encode())
    try:
        return rendering.render_docx(template, context), digest.hexdigest()
    except rendering.TemplateError as err:
        raise InvalidInput(
            f"文书模板无法生成文书，请机关管理员检查模板：{err}", fields={"template": str(err)}
        ) from None


def preview(document: Document, *, fmt: str) -> bytes:
    """A draft's DOCX or PDF marked 草稿; no number is taken and nothing is saved.

    The PDF takes LibreOffice a second or two, so it is cached until the draft, its template
    or the agency's settings change (clerks preview the same draft again and again).
    """
    if document.status in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED):
        raise TransitionRefused("文书已签发，请下载签发的文件", code="document_issued")
    content, key = _render_preview(document)
    if fmt != "pdf":
        return content
    cache_key = f"documents:preview-pdf:{key}"
    pdf = cache.get(cache_key)
    if pdf is None:
        try:
            pdf = rendering.docx_to_pdf(content)
        except rendering.PdfRenderError as err:
            log.error("Preview of document %s: %s", document.pk, err)
            raise RenderUnavailable("PDF预览暂时无法生成，请稍后重试或下载Word预览") from None
        cache.set(cache_key, pdf, PREVIEW_CACHE_SECONDS)
    return pdf


def document_render_pdf(*, document_id: int) -> bool:
    """Make the PDF of an issued document from its DOCX (Celery, with retries).

    Idempotent: a document that has its PDF is left alone. A failed conversion is counted and
    its error kept on the document; the DOCX stays, and the error is raised for the retry.
    Returns whether a PDF was made now.
    """
    document = Document.objects.select_related("case", "agency").filter(pk=document_id).first()
    if document is None or not document.docx or document.pdf:
        return False
    with document.docx.open("rb") as fh:
        docx = fh.read()
    try:
        pdf = rendering.docx_to_pdf(docx)
    except rendering.PdfRenderError as err:
        Document.objects.filter(pk=document_id).update(pdf_error=str(err)[:2000])
        raise
    finally:
        Document.objects.filter(pk=document_id).update(pdf_attempts=F("pdf_attempts") + 1)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("case", "agency")
            .get(pk=document_id)
        )
        if document.pdf:  # another worker was quicker
            return False
        document.pdf.save(_storage_name(document, "pdf"), ContentFile(pdf), save=False)
        document.pdf_error = ""
        document.save(update_fields=["pdf", "pdf_error", "updated_at"])
    log.info("Document %s: PDF made", document_id)
    return True


def documents_without_pdf():
    """Issued (or since superseded) documents whose PDF is still missing."""
    return Document.objects.filter(
        status__in=[DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED], pdf=""
    ).exclude(docx="")
