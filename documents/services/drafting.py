"""Drafts: made by the case actions (through cases.hooks), edited by the clerk before issue.

The documents app takes part in case actions through the one extension point of ``cases``
(cases.hooks), registered in DocumentsConfig.ready(): a reaction drafts the document of each
action inside the action's transaction, and a deferral holds back answer and extend where the
agency requires the head of office's approval. ``cases`` never imports this app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cases import hooks, vocabulary
from cases.deadlines import FEE_MEASURES, FEE_PAYMENT_DAYS
from cases.errors import TransitionRefused
from cases.models import Case, Channel, DeliveryForm, User
from cases.services import case_deadlines

from .. import selectors, texts
from ..models import Document, DocumentSettings
from ..reasons import fill
from ..vocabulary import ACTION_KINDS, DEFERRABLE_ACTIONS, REPEATABLE_KINDS, DocumentKind
from .common import (
    DOCUMENT_DRAFT,
    check_write,
    event_data,
    full_clean,
    invalid,
    locked,
    record_case_event,
)

REGULATIONS = texts.REGULATIONS
# Outcomes whose reply provides information (Art. 40: in which form).
DISCLOSING = frozenset({"disclosed", "partially_disclosed"})


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _base_facts(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "received_on": case.received_on,
        "description": case.description,
    }


def _receipt(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    facts = {
        **_base_facts(case),
        "channel_label": Channel(case.channel).label,
        "due_on": case.due_on,
    }
    return {
        "data": {"channel": case.channel, "due_on": _iso(case.due_on)},
        "body": texts.receipt(facts),
        "legal_basis": f"{REGULATIONS}第三十一条",
    }


def _correction_notice(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    data = {"items": change.data["items"], "period_days": change.data["period_days"]}
    return {
        "data": data,
        "body": texts.correction_notice({**_base_facts(case), **data}),
        "legal_basis": f"{REGULATIONS}第三十条",
    }


def _consultation_letter(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    data = {"party": change.data["party"], "party_kind": change.data["party_kind"]}
    article = "第三十四条" if data["party_kind"] == "agency" else "第三十二条"
    return {
        "data": data,
        "addressee": data["party"],
        "body": texts.consultation_letter({**_base_facts(case), **data}),
        "legal_basis": f"{REGULATIONS}{article}",
    }


def _fee_notice(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    data = {"basis": change.data["basis"], "amount": str(change.data["amount"])}
    facts = {**_base_facts(case), **data, "payment": settings.payment_text}
    return {
        "data": data,
        "body": texts.fee_notice(facts),
        "legal_basis": f"{REGULATIONS}第四十二条；{FEE_MEASURES}",
    }


def _extended_due_on(change: hooks.CaseChange, case: Case) -> dt.date | None:
    if change.event is not None:  # the extension took effect: the stored due date has it
        return case.due_on
    proposed = hooks.snapshot(change.before or case)
    proposed.extended_on = change.on
    proposed.extension_days = change.data["working_days"]
    return case_deadlines(proposed).due_on


def _extension_notice(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    before = change.before or case
    new_due_on = _extended_due_on(change, case)
    data = {
        "working_days": change.data["working_days"],
        "reason": change.data["reason"],
        # Art. 33: the extension must be told within the reply period it extends.
        "reply_due_on": _iso(before.due_on),
        "new_due_on": _iso(new_due_on),
    }
    facts = {**_base_facts(case), **data, "new_due_on": new_due_on, "regulations": case.regulations}
    return {
        "data": data,
        "body": texts.extension_notice(facts),
        "legal_basis": texts.extension_article(case.regulations),
    }


def _reply(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    answer = change.data
    outcome = answer["outcome"]
    legal_basis = answer.get("legal_basis") or vocabulary.default_legal_basis(
        outcome, regulations=case.regulations
    )
    data = {
        key: answer.get(key, "")
        for key in ("outcome", "reply", "reason", "delivery", "competent_agency")
    }
    data["legal_basis"] = legal_basis
    facts = {
        "applicant": case.applicant_name,
        "received_on": texts.chinese_date(case.received_on),
        "request": case.description,
        "reply": data["reply"],
        "reason": data["reason"],
        "legal_basis": legal_basis,
        "competent_agency": data["competent_agency"] or "本机关无法确定",
    }
    paragraph = fill(settings.reason_for(outcome), facts)
    delivery = DeliveryForm(data["delivery"]).label if data["delivery"] else ""
    body = texts.reply(
        paragraph,
        {**_base_facts(case), "delivery_label": delivery, "discloses": outcome in DISCLOSING},
    )
    return {"data": data, "body": body, "legal_basis": legal_basis}


def _termination_notice(change: hooks.CaseChange, case: Case, settings: DocumentSettings) -> dict:
    before = change.before or case
    no_correction = case.outcome == vocabulary.NO_CORRECTION
    kind = DocumentKind.CORRECTION_NOTICE if no_correction else DocumentKind.FEE_NOTICE
    notice = selectors.current_document(case, kind)
    delivered = selectors.delivered_on(notice) if notice and notice.issued_on else None
    data = {
        "outcome": case.outcome,
        "notice_kind": kind,
        "notice_title": DocumentKind(kind).label,
        "notice_number": notice.number if notice and notice.number else "",
        "notice_on": _iso(
            (notice.issued_on if notice and notice.issued_on else None)
            or (case.correction_requested_on if no_correction else case.fee_notice_on)
        ),
        "delivered_on": _iso(delivered),
        "period_days": case.correction_period_days if no_correction else FEE_PAYMENT_DAYS,
        "period_end": _iso(before.correction_due_on if no_correction else before.fee_due_on),
        "lapse_on": _iso(change.on),
        "missing": "本机关未收到您补正后的申请" if no_correction else "您未缴纳信息处理费",
    }
    legal_basis = vocabulary.default_legal_basis(case.outcome, regulations=case.regulations)
    paragraph = fill(settings.reason_for(case.outcome), {"legal_basis": legal_basis})
    body = texts.termination_notice(paragraph, {**_base_facts(case), **data})
    return {"data": data, "body": body, "legal_basis": legal_basis}


DRAFTERS = {
    DocumentKind.RECEIPT: _receipt,
    DocumentKind.CORRECTION_NOTICE: _correction_notice,
    DocumentKind.CONSULTATION_LETTER: _consultation_letter,
    DocumentKind.FEE_NOTICE: _fee_notice,
    DocumentKind.EXTENSION_NOTICE: _extension_notice,
    DocumentKind.REPLY: _reply,
    DocumentKind.TERMINATION_NOTICE: _termination_notice,
}


def _draft_for_change(change: hooks.CaseChange, *, pending: bool) -> Document | None:
    """Create the action's draft, or update the open one (a kind made once per case)."""
    kind = ACTION_KINDS[change.action]
    case = change.case
    settings = selectors.settings_for(case.agency)
    if kind == DocumentKind.RECEIPT and not settings.issue_receipts:
        return None
    drafted = DRAFTERS[kind](change, case, settings)
    fields = {
        "title": DocumentKind(kind).label,
        "addressee": drafted.get("addressee") or case.applicant_name,
        "body": drafted["body"],
        "legal_basis": drafted["legal_basis"],
        "data": {**drafted["data"], "action": change.action, "on": _iso(change.on)},
        "drafted_on": change.on or case.received_on,
        "pending_action": change.action if pending else "",
    }
    document = None if kind in REPEATABLE_KINDS else selectors.current_document(case, kind)
    if document is not None:
        document = locked(document)
        if document.status == "issued":
            # The approved document was issued and completed this very action (or the action
            # was recorded once more): what it says stands.
            return document
        if not document.is_editable:
            raise TransitionRefused(
                f"{document.title}已{document.get_status_display()}，不能再修改；"
                "如需修改，请由审批人退回后重新办理",
                code="document_locked",
            )
        for name, value in fields.items():
            setattr(document, name, value)
    else:
        document = Document(
            case=case, agency=case.agency, kind=kind, created_by=change.actor, **fields
        )
    if change.event is not None:
        document.event = change.event
    full_clean(document)
    document.save()
    return document


def draft_on_case_action(change: hooks.CaseChange) -> None:
    """Reaction (cases.hooks): the document of the action, drafted with what it recorded. A
    step imported from a ledger gets none: its letter was written and sent outside the system,
    and a draft of it would only wait on the desk for an issue that must never happen."""
    if change.action in ACTION_KINDS and not change.imported:
        _draft_for_change(change, pending=False)


def defer_until_issued(change: hooks.CaseChange) -> hooks.Deferral | None:
    """Deferral (cases.hooks) of answer and extend: where the agency requires approval for the
    kind, the proposed action waits for its document, which is drafted (or updated) here; it
    takes effect when the approved document is issued, with the issue date (spec §3)."""
    kind = DEFERRABLE_ACTIONS.get(change.action)
    if kind is None or not selectors.settings_for(change.case.agency).needs_approval(kind):
        return None
    document = _draft_for_change(change, pending=True)
    return hooks.Deferral(
        message=f"{document.title}须经负责人审批并签发后生效：已生成文书草稿，请提交审批",
        pending={"id": document.pk, "kind": str(DocumentKind(document.kind).value)},
    )


@transaction.atomic
def document_update(*, document: Document, actor: User, body: str) -> Document:
    """The clerk edits the text of a draft or returned document (never an issued one)."""
    check_write(actor, document, "修改文书")
    document = locked(document)
    if not document.is_editable:
        raise TransitionRefused(
            f"文书当前状态为“{document.get_status_display()}”，只有草稿或被退回的文书可以修改",
            code="document_not_editable",
        )
    if not body.strip():
        raise invalid({"body": "正文不能为空"})
    if body == document.body:
        return document
    document.body = body
    full_clean(document)
    document.save(update_fields=["body", "updated_at"])
    record_case_event(
        case=document.case,
        actor=actor,
        action=DOCUMENT_DRAFT,
        on=None,
        data=event_data(document, status=document.status),
    )
    return document
