"""Reads. A user sees the documents of their own agency's cases; platform admins see all."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from cases import limits
from cases.calendar import work_calendar
from cases.errors import NotFound
from cases.models import Agency, Case, User

from .models import Delivery, DeliveryProof, Document, DocumentSettings, DocumentTemplate
from .rendering import default_template
from .vocabulary import DocumentStatus

# spec §5.3: reminders list issued documents not yet sent after 2 working days, and notices not
# yet delivered after 10 working days.
NOT_SENT_AFTER_DAYS = 2
NOT_DELIVERED_AFTER_DAYS = 10


def settings_for(agency: Agency) -> DocumentSettings:
    """The agency's document settings; unsaved defaults when it has set none."""
    found = DocumentSettings.objects.filter(agency=agency).select_related("agency").first()
    return found or DocumentSettings(agency=agency)


def template_for(agency: Agency, kind: str) -> tuple[bytes, bool]:
    """The template in force for a kind, and whether it is the agency's own."""
    own = DocumentTemplate.objects.filter(agency=agency, kind=kind).first()
    if own is not None:
        with own.file.open("rb") as fh:
            return fh.read(), True
    return default_template(kind), False


def _documents() -> QuerySet[Document]:
    proofs = DeliveryProof.objects.order_by("uploaded_at", "id")
    deliveries = Delivery.objects.order_by("sent_on", "id").prefetch_related(
        Prefetch("proofs", queryset=proofs)
    )
    return Document.objects.select_related("case", "agency", "superseded_by").prefetch_related(
        Prefetch("deliveries", queryset=deliveries)
    )


def document_list(*, user: User) -> QuerySet[Document]:
    documents = _documents()
    if user.is_platform_admin:
        return documents
    return documents.filter(agency_id=user.agency_id)


def case_documents(*, user: User, case_id: int) -> list[Document]:
    """The documents of a case, oldest first; 404 for a case the user may not see."""
    case = Case.objects.filter(pk=case_id).only("agency_id").first()
    if case is None or not user.may_see(case.agency_id):
        raise NotFound("申请不存在或不属于您所在的机关")
    return list(_documents().filter(case_id=case_id).order_by("created_at", "id"))


def _id(value) -> int | None:
    """A path's id as a number, or None for anything no row can have."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 1 <= number <= limits.BIGINT_MAX else None


def document_get(*, user: User, pk) -> Document:
    document = document_list(user=user).filter(pk=_id(pk)).first() if _id(pk) else None
    if document is None:
        raise NotFound("文书不存在或不属于您所在的机关")
    return document


def delivery_get(*, user: User, pk) -> Delivery:
    deliveries = Delivery.objects.select_related("document__case", "document__agency")
    if not user.is_platform_admin:
        deliveries = deliveries.filter(document__agency_id=user.agency_id)
    delivery = deliveries.filter(pk=_id(pk)).first() if _id(pk) else None
    if delivery is None:
        raise NotFound("送达记录不存在或不属于您所在的机关")
    return delivery


def delivered_on(document: Document) -> dt.date | None:
    """The day the document reached its addressee (the earliest recorded delivery), or None."""
    days = [d.delivered_on for d in document.deliveries.all() if d.delivered_on]
    return min(days) if days else None


def current_document(case: Case, kind: str) -> Document | None:
    """The case's live document of a kind: the newest that is not superseded."""
    return (
        Document.objects.filter(case=case, kind=kind)
        .exclude(status=DocumentStatus.SUPERSEDED)
        .order_by("-created_at", "-id")
        .first()
    )


def deliveries_overdue(*, agency: Agency, today: dt.date) -> dict[str, list[Document]]:
    """For reminders (spec §5.3): issued documents not sent 2 working days after issue, and
    documents sent but not delivered 10 working days after they were first sent."""
    cal = work_calendar()
    issued = _documents().filter(agency=agency, status=DocumentStatus.ISSUED)
    not_sent, not_delivered = [], []
    for document in issued.order_by("issued_on", "id"):
        deliveries = list(document.deliveries.all())
        if not deliveries:
            if cal.working_days_between(document.issued_on, today) > NOT_SENT_AFTER_DAYS:
                not_sent.append(document)
        elif not any(d.delivered_on for d in deliveries):
            first_sent = min(d.sent_on for d in deliveries)
            if cal.working_days_between(first_sent, today) > NOT_DELIVERED_AFTER_DAYS:
                not_delivered.append(document)
    return {"not_sent": not_sent, "not_delivered": not_delivered}


def case_representation(case) -> list[dict]:
    """The documents in the case's API representation (id, kind, status, number), oldest first;
    read from the prefetched relation, so a list of cases costs one query for all of them."""
    documents = sorted(case.documents.all(), key=lambda document: document.pk)
    return [
        {"id": d.pk, "kind": d.kind, "status": d.status, "number": d.number or None}
        for d in documents
    ]


UNDELIVERED_REMINDER_DAYS = 5


def undelivered_notes(agency_ids: set[int], today: dt.date) -> list[str]:
    """For the reminder digest: issued documents with no delivery recorded as delivered more
    than 5 working days after their issue (one query for all the agencies)."""
    cal = work_calendar()
    # The day from which today is the 5th working day: anything issued before it is overdue.
    issued_by, counted = today, 0
    while counted < UNDELIVERED_REMINDER_DAYS:
        issued_by -= dt.timedelta(days=1)
        if cal.is_working_day(issued_by + dt.timedelta(days=1)):
            counted += 1
    documents = (
        Document.objects.filter(
            agency_id__in=agency_ids, status=DocumentStatus.ISSUED, issued_on__lt=issued_by
        )
        .exclude(deliveries__delivered_on__isnull=False)
        .select_related("case")
        .order_by("issued_on", "id")
    )
    return [
        f"{d.title}（{d.number}，{d.case.reference}）于{d.issued_on:%Y-%m-%d}签发，"
        f"已超过{UNDELIVERED_REMINDER_DAYS}个工作日尚未登记送达"
        for d in documents
    ]
