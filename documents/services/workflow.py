"""The approval chain and issue (spec §2, §3): submit, approve, return, issue, reissue."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from cases import services
from cases.errors import ConcurrentChange, NotPermitted, TransitionRefused
from cases.models import Agency, User

from .. import selectors
from ..models import Document, NumberSequence
from ..numbering import format_number
from ..vocabulary import DocumentKind, DocumentStatus
from .common import (
    DOCUMENT_APPROVE,
    DOCUMENT_ISSUE,
    DOCUMENT_REISSUE,
    DOCUMENT_RETURN,
    DOCUMENT_SUBMIT,
    check_approver,
    check_write,
    event_data,
    full_clean,
    invalid,
    locked,
    record_case_event,
    step_date,
)
from .files import store_docx

log = logging.getLogger(__name__)


def _refuse(document: Document, what: str, why: str = "") -> TransitionRefused:
    return TransitionRefused(
        why or f"文书当前状态为“{document.get_status_display()}”，不能{what}",
        code="document_status",
    )


def _drafted_after(document: Document) -> list[tuple[dt.date | None, str]]:
    return [(document.drafted_on, "拟稿日期")]


@transaction.atomic
def document_submit(
    *, document: Document, actor: User, on: dt.date | None = None, note: str = ""
) -> Document:
    """Submit a draft (or a returned document, once edited) for approval."""
    check_write(actor, document, "提交文书审批")
    document = locked(document)
    if document.status not in (DocumentStatus.DRAFT, DocumentStatus.RETURNED):
        raise _refuse(document, "提交审批")
    on = step_date(
        on,
        case=document.case,
        after=[*_drafted_after(document), (document.returned_on, "退回日期")],
    )
    document.submit(by=actor, on=on)
    document.save()
    record_case_event(
        case=document.case,
        actor=actor,
        action=DOCUMENT_SUBMIT,
        on=on,
        data=event_data(document),
        note=note,
    )
    return document


def _check_not_own(document: Document, actor: User, what: str) -> None:
    # spec §3: never one's own submission unless the agency allows it, whatever the role.
    settings = selectors.settings_for(document.agency)
    if document.submitted_by_id == actor.pk and not settings.allow_self_approval:
        raise NotPermitted(
            f"不能{what}本人提交的文书（本机关未允许本人审批）", code="self_approval_forbidden"
        )


@transaction.atomic
def document_approve(
    *, document: Document, actor: User, on: dt.date | None = None, note: str = ""
) -> Document:
    check_approver(actor, document, "审批文书")
    document = locked(document)
    if document.status != DocumentStatus.SUBMITTED:
        raise _refuse(document, "审批")
    _check_not_own(document, actor, "审批")
    on = step_date(on, case=document.case, after=[(document.submitted_on, "提交审批日期")])
    document.approve(by=actor, on=on)
    document.save()
    record_case_event(
        case=document.case,
        actor=actor,
        action=DOCUMENT_APPROVE,
        on=on,
        data=event_data(document),
        note=note,
    )
    return document


@transaction.atomic
def document_return(
    *, document: Document, actor: User, comment: str, on: dt.date | None = None
) -> Document:
    """Send a submitted document back to its drafter with a comment; it becomes editable."""
    check_approver(actor, document, "退回文书")
    document = locked(document)
    if document.status != DocumentStatus.SUBMITTED:
        raise _refuse(document, "退回")
    _check_not_own(document, actor, "退回")
    if not comment.strip():
        raise invalid({"comment": "请填写退回意见"})
    on = step_date(on, case=document.case, after=[(document.submitted_on, "提交审批日期")])
    document.return_for_changes(by=actor, on=on, comment=comment)
    document.save()
    record_case_event(
        case=document.case,
        actor=actor,
        action=DOCUMENT_RETURN,
        on=on,
        data=event_data(document, comment=comment),
    )
    return document


def _next_sequence(agency: Agency, kind: str, year: int) -> int:
    """Take the next number of the (agency, kind, year) sequence under a row lock.

    Called inside the issuing transaction: a failed issue rolls the counter back with it, so
    the sequence has no gaps, and the lock makes concurrent issues wait for one another.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _ = NumberSequence.objects.select_for_update().get_or_create(
                    agency=agency, kind=kind, year=year
                )
                break
        except IntegrityError:  # two first issues of a year raced to create the counter
            continue
    else:  # pragma: no cover - the third attempt always finds the row
        raise ConcurrentChange("文号分配冲突，请重试")
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def complete_deferred_action(document: Document) -> None:
    """Complete the case action that waited for this document (``document.pending_action``).

    Called in the issuing transaction, after the number is taken. Where an agency requires
    approval, ``answer`` and ``extend`` are held back (cases.hooks deferral, see
    documents.services.drafting.defer_until_issued) and recorded on the document; once the
    approved reply or extension notice is issued, this will run the case action through the
    cases services with the data the document holds and the issue date as the action's date
    (the case turns ``answered`` with ``answered_on`` = the issue date, or the deadline is
    extended from that date). The step is carried out by the head of office who approved the
    document (for an extension only they may); if it is refused now, the issue is refused too.
    """
    services.case_complete_pending(
        case=document.case,
        actor=document.approved_by or document.issued_by,
        on=document.issued_on,
        document_id=document.pk,
    )


@transaction.atomic
def document_issue(*, document: Document, actor: User, on: dt.date | None = None) -> Document:
    """Issue: number, date, the DOCX, and from then on the document never changes (spec §2).

    The PDF is made afterwards by a worker (documents.tasks); the document is issued whether or
    not that succeeds, and the worker retries.
    """
    check_write(actor, document, "签发文书")
    document = locked(document)
    settings = selectors.settings_for(document.agency)
    if document.status in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED):
        raise _refuse(document, "再次签发", f"文书已签发（{document.number}），不能重复签发")
    if document.status == DocumentStatus.SUBMITTED:
        raise _refuse(document, "签发", "文书正在等待审批，审批同意后方可签发")
    if document.status == DocumentStatus.RETURNED:
        raise _refuse(document, "签发", "文书已被退回，请修改后重新提交审批")
    if document.status == DocumentStatus.DRAFT and settings.needs_approval(document.kind):
        raise _refuse(document, "签发", f"本机关的{document.title}须经负责人审批，请先提交审批")
    on = step_date(
        on,
        case=document.case,
        after=[*_drafted_after(document), (document.approved_on, "审批日期")],
    )
    reply_due_on = document.data.get("reply_due_on")
    if document.kind == DocumentKind.EXTENSION_NOTICE and reply_due_on:
        due = dt.date.fromisoformat(reply_due_on)
        if on > due:
            # Art. 33: an extension is made and told within the reply period it extends.
            raise TransitionRefused(
                f"答复期限已于{due:%Y-%m-%d}届满，延期答复告知书应在此前签发",
                fields={"on": f"应不晚于{due:%Y-%m-%d}"},
                code="deadline_passed",
            )
    sequence = _next_sequence(document.agency, document.kind, on.year)
    number = format_number(
        settings.number_format,
        prefix=settings.prefix_for(document.kind),
        year=on.year,
        seq=sequence,
    )
    document.issue(by=actor, on=on, year=on.year, sequence=sequence, number=number)
    store_docx(document)
    replaced = None
    if document.supersedes_id is not None:
        replaced = Document.objects.select_for_update().get(pk=document.supersedes_id)
        replaced.supersede()
        replaced.save()
    full_clean(document, validate_constraints=False)
    document.save()
    data = event_data(document, number=number)
    if replaced is not None:
        data["supersedes"] = replaced.number
    record_case_event(case=document.case, actor=actor, action=DOCUMENT_ISSUE, on=on, data=data)
    if document.pending_action and replaced is None:
        complete_deferred_action(document)
    pk = document.pk
    transaction.on_commit(lambda: _enqueue_pdf(pk))
    return document


# Who hands an issued document's PDF to a worker: documents.tasks.enqueue_pdf, registered in
# DocumentsConfig.ready() (tasks import the services, never the reverse).
PDF_QUEUE: list = []


def _enqueue_pdf(document_id: int) -> None:
    for enqueue in PDF_QUEUE:
        enqueue(document_id)


@transaction.atomic
def document_reissue(*, document: Document, actor: User, reason: str) -> Document:
    """Correct an issued document: a new draft that, once issued (with approval where the kind
    needs it), takes a new number and marks this one superseded. Both are kept."""
    check_write(actor, document, "更正文书")
    document = locked(document)
    if document.status != DocumentStatus.ISSUED:
        raise _refuse(document, "更正", "只有已签发的文书可以更正重发")
    if Document.objects.filter(supersedes=document).exists():
        raise _refuse(document, "更正", "该文书已有待签发的更正文书，请办理该更正文书")
    if not reason.strip():
        raise invalid({"reason": "请说明更正理由"})
    replacement = Document(
        case=document.case,
        agency=document.agency,
        kind=document.kind,
        event=document.event,
        title=document.title,
        addressee=document.addressee,
        body=document.body,
        legal_basis=document.legal_basis,
        data=document.data,
        drafted_on=document.issued_on,
        created_by=actor,
        supersedes=document,
        reissue_reason=reason,
    )
    full_clean(replacement)
    replacement.save()
    record_case_event(
        case=document.case,
        actor=actor,
        action=DOCUMENT_REISSUE,
        on=None,
        data=event_data(replacement, supersedes=document.number, reason=reason),
    )
    return replacement
