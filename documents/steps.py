"""The steps of a document and of its deliveries, described once: what each is called, the input
it takes (the API's own serializer), the service that carries it out, and who is offered it
when. The API has a view per step; a screen (the desk) reads this table to show the steps a user
may take now, build their forms and run them — so a new step needs no new screen code.

``offered`` only decides what to show: the service checks the role and the status again and
its refusal is what the user sees when the two disagree (a page left open, a typed address).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers as drf

from cases.models import User

from . import selectors, services
from .models import Delivery, Document, DocumentSettings
from .serializers import (
    DeliveryCreateSerializer,
    DeliveryUpdateSerializer,
    DocumentUpdateSerializer,
    FileUploadSerializer,
    ReissueSerializer,
    ReturnSerializer,
    StepSerializer,
    SubmitSerializer,
)
from .services.common import APPROVER_ROLES, may_write
from .vocabulary import DocumentStatus

EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)


@dataclass(frozen=True)
class Step:
    name: str  # in the screen's address
    label: str  # the button, the form's title and the message when done
    params: type[drf.Serializer]
    run: Callable[[Any, User, dict[str, Any]], Any]
    offered: Callable[[User, Any, DocumentSettings], bool]
    # The button that moves the document on (shown first and highlighted).
    primary: bool = False
    # A form with a file field is sent as multipart.
    upload: bool = False


def _may_approve(actor: User, document: Document, settings: DocumentSettings) -> bool:
    if not (actor.is_platform_admin or actor.role in APPROVER_ROLES):
        return False
    return document.submitted_by_id != actor.pk or settings.allow_self_approval


def _may_issue(actor: User, document: Document, settings: DocumentSettings) -> bool:
    if not may_write(actor, document):
        return False
    if document.status == DocumentStatus.APPROVED:
        return True
    return document.status == DocumentStatus.DRAFT and not settings.needs_approval(document.kind)


def _staff(actor: User, agency_id: int) -> bool:
    return actor.may_see(agency_id)


def _upload(delivery: Delivery, actor: User, params: dict[str, Any]) -> None:
    upload = params["file"]
    services.delivery_attach_proof(
        delivery=delivery, actor=actor, content=upload.read(), name=upload.name or ""
    )


DOCUMENT_STEPS: tuple[Step, ...] = (
    Step(
        name="edit",
        label="修改正文",
        params=DocumentUpdateSerializer,
        run=lambda d, actor, p: services.document_update(document=d, actor=actor, **p),
        offered=lambda actor, d, s: d.status in EDITABLE and may_write(actor, d),
    ),
    Step(
        name="submit",
        label="提交审批",
        params=SubmitSerializer,
        run=lambda d, actor, p: services.document_submit(document=d, actor=actor, **p),
        offered=lambda actor, d, s: (
            d.status in EDITABLE and may_write(actor, d) and s.needs_approval(d.kind)
        ),
        primary=True,
    ),
    Step(
        name="approve",
        label="审批同意",
        params=SubmitSerializer,
        run=lambda d, actor, p: services.document_approve(document=d, actor=actor, **p),
        offered=lambda actor, d, s: (
            d.status == DocumentStatus.SUBMITTED and _may_approve(actor, d, s)
        ),
        primary=True,
    ),
    Step(
        name="return",
        label="退回修改",
        params=ReturnSerializer,
        run=lambda d, actor, p: services.document_return(document=d, actor=actor, **p),
        offered=lambda actor, d, s: (
            d.status == DocumentStatus.SUBMITTED and _may_approve(actor, d, s)
        ),
    ),
    Step(
        name="issue",
        label="签发",
        params=StepSerializer,
        run=lambda d, actor, p: services.document_issue(document=d, actor=actor, **p),
        offered=_may_issue,
        primary=True,
    ),
    Step(
        name="deliver",
        label="登记送达",
        params=DeliveryCreateSerializer,
        run=lambda d, actor, p: services.delivery_create(document=d, actor=actor, **p),
        offered=lambda actor, d, s: (
            d.status == DocumentStatus.ISSUED and _staff(actor, d.agency_id)
        ),
        primary=True,
    ),
    Step(
        name="reissue",
        label="更正重发",
        params=ReissueSerializer,
        run=lambda d, actor, p: services.document_reissue(document=d, actor=actor, **p),
        offered=lambda actor, d, s: (
            d.status == DocumentStatus.ISSUED
            and may_write(actor, d)
            and getattr(d, "superseded_by", None) is None
        ),
    ),
)

DELIVERY_STEPS: tuple[Step, ...] = (
    Step(
        name="record",
        label="登记送达日期或退件",
        params=DeliveryUpdateSerializer,
        run=lambda dl, actor, p: services.delivery_update(
            delivery=dl, actor=actor, changes=dict(p)
        ),
        offered=lambda actor, dl, s: (
            dl.delivered_on is None
            and dl.returned_on is None
            and _staff(actor, dl.document.agency_id)
        ),
        primary=True,
    ),
    Step(
        name="proof",
        label="上传送达凭证",
        params=FileUploadSerializer,
        run=_upload,
        offered=lambda actor, dl, s: _staff(actor, dl.document.agency_id),
        upload=True,
    ),
)

_BY_NAME = {
    Document: {step.name: step for step in DOCUMENT_STEPS},
    Delivery: {step.name: step for step in DELIVERY_STEPS},
}


def step_named(model: type, name: str) -> Step | None:
    return _BY_NAME[model].get(name)


def offered_steps(actor: User, target: Document | Delivery, settings=None) -> list[Step]:
    """The steps the user is offered now on a document or a delivery."""
    document = target if isinstance(target, Document) else target.document
    settings = settings or selectors.settings_for(document.agency)
    steps = DOCUMENT_STEPS if isinstance(target, Document) else DELIVERY_STEPS
    return [step for step in steps if step.offered(actor, target, settings)]
