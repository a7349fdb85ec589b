"""Celery tasks: the PDF of an issued document, and the sweep that catches any left behind."""

from __future__ import annotations

import logging

from celery import shared_task

from cases.tasks import RETRY_BACKOFF_MAX

from . import services
from .rendering import PdfRenderError

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(PdfRenderError,),
    retry_backoff=30,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
    acks_late=True,
)
def render_document_pdf(*, document_id: int) -> bool:
    """LibreOffice turns the issued DOCX into the PDF; a failure is retried with backoff."""
    return services.document_render_pdf(document_id=document_id)


@shared_task(acks_late=True)
def render_pending_pdfs() -> int:
    """Every few minutes: PDFs whose task never ran (broker down) or gave up."""
    done = 0
    for document_id in services.documents_without_pdf().values_list("pk", flat=True):
        try:
            done += services.document_render_pdf(document_id=document_id)
        except PdfRenderError:
            log.warning("Document %s: PDF still failing, will try again", document_id)
    return done


def enqueue_pdf(document_id: int) -> bool:
    """Hand the PDF to a worker; with the broker unreachable, leave it to the sweep. Never
    raises: the document is issued and its DOCX stored whatever happens here."""
    try:
        render_document_pdf.apply_async(kwargs={"document_id": document_id}, retry=False)
    except Exception:  # the broker's errors vary by transport
        log.warning(
            "Document %s: broker unavailable, the sweep will make the PDF",
            document_id,
            exc_info=True,
        )
        return False
    return True
