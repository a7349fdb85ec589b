"""The rendering context of a document: one selector per kind, from the document and its case.

Every kind offers the same placeholders (PLACEHOLDERS), so an office's letterhead template
works for any kind; the selectors differ in what the law makes the kind say outside the
editable body (the reply's remedies clause). They read only attributes, never the database,
so the same code builds the sample context that validates an uploaded template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cases import clock
from cases.models import Agency, Case

from .models import Document, DocumentSettings
from .reasons import remedies_clause
from .vocabulary import DRAFT_NUMBER, SEAL_PLACEHOLDER, DocumentKind, chinese_date

# Placeholder -> what it holds (README.md lists them for offices making their own templates).
PLACEHOLDERS = {
    "title": "文书标题",
    "number": "文号（草稿为“（草稿，签发时编号）”）",
    "addressee": "主送（申请人或被征求意见方）",
    "case_reference": "申请编号",
    "received_on": "收到申请日期（2026年3月2日）",
    "applicant_name": "申请人姓名或名称",
    "request_summary": "所需政府信息（摘要）",
    "body": "正文（整段）",
    "body_paragraphs": "正文（逐段，用于 {%p for paragraph in body_paragraphs %}）",
    "legal_basis": "法律依据",
    "remedies": "救济途径告知（答复书；其他文书为空）",
    "agency_name": "机关名称",
    "issued_on": "签发日期（草稿为空白日期）",
    "seal": "印章位置（“（印章）”）",
    "contact": "政府信息公开工作机构联系方式",
    "is_draft": "是否草稿（真/假）",
    "kind": "文书种类代码",
}
SUMMARY_MAX = 120
BLANK_DATE = "年　月　日"


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def _common(document: Document, settings: DocumentSettings, draft: bool) -> dict:
    case, agency = document.case, document.agency
    return {
        "title": document.title,
        "number": DRAFT_NUMBER if draft else document.number,
        "addressee": document.addressee,
        "case_reference": case.reference or "",
        "received_on": chinese_date(case.received_on),
        "applicant_name": case.applicant_name,
        "request_summary": _summary(case.description),
        "body": document.body,
        "body_paragraphs": [line for line in document.body.splitlines() if line.strip()],
        "legal_basis": document.legal_basis,
        "remedies": "",
        "agency_name": agency.name,
        "issued_on": BLANK_DATE if draft else chinese_date(document.issued_on),
        "seal": SEAL_PLACEHOLDER,
        "contact": settings.contact_text,
        "is_draft": draft,
        "kind": document.kind,
    }


def _no_extra(document: Document, settings: DocumentSettings, on: dt.date) -> dict:
    return {}


def reply_context(document: Document, settings: DocumentSettings, on: dt.date) -> dict:
    """Every reply carries the remedies clause; which one depends on the outcome and the date
    of the reply (spec §4)."""
    return {
        "remedies": remedies_clause(
            outcome=document.data.get("outcome", ""),
            on=on,
            review_body=settings.review_body_text,
            court=settings.court_text,
        )
    }


receipt_context = correction_notice_context = consultation_letter_context = _no_extra
fee_notice_context = extension_notice_context = termination_notice_context = _no_extra

CONTEXT_SELECTORS: dict[str, Callable[[Document, DocumentSettings, dt.date], dict]] = {
    DocumentKind.RECEIPT: receipt_context,
    DocumentKind.CORRECTION_NOTICE: correction_notice_context,
    DocumentKind.CONSULTATION_LETTER: consultation_letter_context,
    DocumentKind.FEE_NOTICE: fee_notice_context,
    DocumentKind.EXTENSION_NOTICE: extension_notice_context,
    DocumentKind.REPLY: reply_context,
    DocumentKind.TERMINATION_NOTICE: termination_notice_context,
}


def document_context(document: Document, settings: DocumentSettings, *, draft: bool) -> dict:
    """What the template is filled with. ``draft``: a preview (no number, no date, marked)."""
    on = document.issued_on if not draft and document.issued_on else clock.today()
    return {
        **_common(document, settings, draft),
        **CONTEXT_SELECTORS[document.kind](document, settings, on),
    }


def sample_context(agency: Agency, kind: str) -> dict:
    """A filled-in context for checking an uploaded template (never saved)."""
    case = Case(
        agency=agency,
        reference=f"{agency.code}-2026-00001",
        applicant_name="张三",
        received_on=dt.date(2026, 3, 2),
        description="2025年本市城镇职工基本养老保险基金收支情况",
    )
    document = Document(
        case=case,
        agency=agency,
        kind=kind,
        title=DocumentKind(kind).label,
        addressee="张三",
        body="第一段正文。\n第二段正文。",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        data={"outcome": "partially_disclosed"},
        issued_on=dt.date(2026, 3, 20),
        number=f"{agency.code}公开〔2026〕1号",
    )
    return document_context(document, DocumentSettings(agency=agency), draft=False)
