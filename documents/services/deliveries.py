"""Delivery (送达, spec §5): records of each sending of an issued document, and their proofs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from cases import clock, limits, services
from cases.errors import TransitionRefused
from cases.models import User

from ..models import Delivery, DeliveryProof, Document
from ..vocabulary import PROOF_MAX_BYTES, DeliveryMethod, DocumentStatus
from .common import (
    DELIVERY_PROOF,
    DELIVERY_RECORD,
    DELIVERY_UPDATE,
    check_visible,
    full_clean,
    invalid,
    locked,
    record_case_event,
)

# What a proof may be, recognised by its first bytes (the name and the declared type are the
# client's word): PDF, and the image formats scanners and phones produce.
PROOF_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"II*\x00", "image/tiff", "tif"),
    (b"MM\x00*", "image/tiff", "tif"),
)


def sniff_proof(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in PROOF_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _check_staff(actor: User, agency_id: int) -> None:
    # Recording deliveries is clerical work: every role of the agency may do it.
    check_visible(actor, agency_id)


def _check_dates(
    *,
    sent_on: dt.date,
    delivered_on: dt.date | None,
    returned_on: dt.date | None,
    issued_on: dt.date,
) -> None:
    today = clock.today()
    errors: dict[str, str] = {}
    if sent_on > today:
        errors["sent_on"] = "发出日期不能晚于今天"
    elif sent_on < issued_on:
        errors["sent_on"] = f"发出日期不能早于签发日期（{issued_on:%Y-%m-%d}）"
    for name, label, day in (
        ("delivered_on", "送达日期", delivered_on),
        ("returned_on", "退件日期", returned_on),
    ):
        if day is None:
            continue
        if day > today:
            errors[name] = f"{label}不能晚于今天"
        elif day < sent_on:
            errors[name] = f"{label}不能早于发出日期（{sent_on:%Y-%m-%d}）"
    if delivered_on and returned_on:
        errors["returned_on"] = "已送达的记录不能再登记退件；退件后另行送达请新增送达记录"
    if errors:
        raise invalid(errors)


def _summary(delivery: Delivery) -> dict[str, Any]:
    return {
        "document": delivery.document_id,
        "number": delivery.document.number,
        "delivery": delivery.pk,
        "recipient": delivery.recipient,
        "method": delivery.method,
        "sent_on": delivery.sent_on,
        "tracking_number": delivery.tracking_number,
        "delivered_on": delivery.delivered_on,
        "returned_on": delivery.returned_on,
    }


@transaction.atomic
def delivery_create(
    *,
    document: Document,
    actor: User,
    recipient: str,
    method: str,
    sent_on: dt.date,
    tracking_number: str = "",
    delivered_on: dt.date | None = None,
    note: str = "",
) -> Delivery:
    """Record a sending of an issued document. E-mail and online deliveries count as delivered
    the day they are sent unless the office records another day (spec §5.2)."""
    _check_staff(actor, document.agency_id)
    document = locked(document)
    if document.status != DocumentStatus.ISSUED:
        raise TransitionRefused("只有已签发的文书可以登记送达", code="document_not_issued")
    errors = {}
    if not recipient.strip():
        errors["recipient"] = "请填写受送达人"
    if method not in DeliveryMethod.values:
        errors["method"] = "送达方式应为 in_person、post、email、online、fax 之一"
    if method == DeliveryMethod.POST and not tracking_number.strip():
        errors["tracking_number"] = "邮寄送达请填写邮件单号"
    if errors:
        raise invalid(errors)
    if delivered_on is None and method in (DeliveryMethod.EMAIL, DeliveryMethod.ONLINE):
        delivered_on = sent_on
    if sent_on < limits.EARLIEST_DATE:
        raise invalid({"sent_on": limits.EARLIEST_DATE_MESSAGE})
    _check_dates(
        sent_on=sent_on, delivered_on=delivered_on, returned_on=None, issued_on=document.issued_on
    )
    delivery = Delivery(
        document=document,
        recipient=recipient.strip(),
        method=method,
        sent_on=sent_on,
        tracking_number=tracking_number.strip(),
        delivered_on=delivered_on,
        note=note,
        created_by=actor,
    )
    full_clean(delivery)
    delivery.save()
    _audit_delivery(
        delivery, actor=actor, action=DELIVERY_RECORD, data=_summary(delivery), note=note
    )
    return delivery


def _audit_delivery(
    delivery: Delivery, *, actor: User, action: str, data: dict[str, Any], note: str
) -> None:
    """The delivery's audit event. For a correction or fee notice the delivery date starts the
    applicant's period, so the event goes through the case's own service, which moves the
    deadlines with it (the earliest delivery of the notice counts)."""
    document = delivery.document
    if document.kind not in services.NOTICE_FIELDS:
        on = delivery.delivered_on or delivery.returned_on or delivery.sent_on
        record_case_event(
            case=document.case, actor=actor, action=action, on=on, data=data, note=note
        )
        return
    delivered = (
        Delivery.objects.filter(document=document, delivered_on__isnull=False)
        .order_by("delivered_on")
        .values_list("delivered_on", flat=True)
        .first()
    )
    services.case_record_delivery(
        case=document.case,
        actor=actor,
        notice=document.kind,
        delivered_on=delivered,
        data=data,
        note=note,
        action=action,
    )


def _locked_delivery(delivery: Delivery) -> Delivery:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("document__case", "document__agency")
        .get(pk=delivery.pk)
    )


@transaction.atomic
def delivery_update(*, delivery: Delivery, actor: User, changes: dict[str, Any]) -> Delivery:
    """Record the delivery date or the return of the letter (退件), with a note."""
    _check_staff(actor, delivery.document.agency_id)
    delivery = _locked_delivery(delivery)
    if "delivered_on" in changes and "returned_on" in changes:
        raise invalid({"returned_on": "送达日期和退件日期只能登记其一"})
    diff = {}
    for name in ("delivered_on", "returned_on", "note"):
        if name in changes and changes[name] != getattr(delivery, name):
            diff[name] = {"from": getattr(delivery, name), "to": changes[name]}
            setattr(delivery, name, changes[name])
    if not diff:
        return delivery
    if "delivered_on" in diff and delivery.delivered_on:
        delivery.returned_on = None
    if "returned_on" in diff and delivery.returned_on:
        delivery.delivered_on = None
    _check_dates(
        sent_on=delivery.sent_on,
        delivered_on=delivery.delivered_on,
        returned_on=delivery.returned_on,
        issued_on=delivery.document.issued_on,
    )
    full_clean(delivery)
    delivery.save()
    _audit_delivery(
        delivery,
        actor=actor,
        action=DELIVERY_UPDATE,
        data={**_summary(delivery), "changes": diff},
        note=str(changes.get("note", "")),
    )
    return delivery


@transaction.atomic
def delivery_attach_proof(
    *, delivery: Delivery, actor: User, content: bytes, name: str = ""
) -> DeliveryProof:
    """Keep a proof of delivery: a PDF or an image of at most 10 MB, recognised by content."""
    _check_staff(actor, delivery.document.agency_id)
    delivery = _locked_delivery(delivery)
    if len(content) > PROOF_MAX_BYTES:
        raise invalid({"file": f"送达凭证不能超过{PROOF_MAX_BYTES // (1024 * 1024)}MB"})
    sniffed = sniff_proof(content[:16])
    if sniffed is None:
        raise invalid({"file": "送达凭证应为PDF或图片（JPEG、PNG、TIFF）"})
    content_type, extension = sniffed
    document = delivery.document
    proof = DeliveryProof(
        delivery=delivery,
        content_type=content_type,
        original_name=name[:200],
        size=len(content),
        uploaded_by=actor,
    )
    reference = document.case.reference or f"case{document.case_id}"
    stored = f"{document.agency.code}/{reference}/delivery-{delivery.pk}.{extension}"
    proof.file.save(stored, ContentFile(content), save=False)
    proof.save()
    record_case_event(
        case=document.case,
        actor=actor,
        action=DELIVERY_PROOF,
        on=None,
        data={
            **_summary(delivery),
            "proof": proof.pk,
            "content_type": content_type,
            "size": len(content),
        },
    )
    return proof
