"""The only way to change documents, their deliveries and an agency's document settings.

Split by concern: drafting (the reaction to case actions, the deferral, edits), workflow (the
approval chain and issue), files (DOCX, PDF, previews), deliveries, configuration.
"""

from .common import record_case_event
from .configuration import document_settings_update, template_delete, template_upload
from .deliveries import delivery_attach_proof, delivery_create, delivery_update
from .drafting import defer_until_issued, document_update, draft_on_case_action
from .files import document_render_pdf, documents_without_pdf, file_stem, preview
from .workflow import (
    complete_deferred_action,
    document_approve,
    document_issue,
    document_reissue,
    document_return,
    document_submit,
)

__all__ = [
    "complete_deferred_action",
    "defer_until_issued",
    "delivery_attach_proof",
    "delivery_create",
    "delivery_update",
    "document_approve",
    "document_issue",
    "document_reissue",
    "document_render_pdf",
    "document_return",
    "document_settings_update",
    "document_submit",
    "document_update",
    "documents_without_pdf",
    "draft_on_case_action",
    "file_stem",
    "preview",
    "record_case_event",
    "template_delete",
    "template_upload",
]
