"""Building blocks of the document services: refusals, dates, access, and the audit helper.

Order of refusals, as in cases.services: a document of another agency is "not found" (404), a
role without the right is 403, a step the status does not allow is 409, bad input is 400 naming
the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from cases import clock, limits, services
from cases.errors import InvalidInput, NotFound, NotPermitted, validation_error_fields
from cases.models import CASEWORK_ROLES, Case, CaseEvent, Role, User

from ..models import Document
from ..vocabulary import DocumentKind

# spec §3: handlers, approvers and agency admins draft, edit, submit and issue; approvers and
# agency admins approve and return; registrars issue receipts. Platform admins may do all.
APPROVER_ROLES = frozenset({Role.APPROVER, Role.AGENCY_ADMIN})
SETTINGS_ROLES = frozenset({Role.AGENCY_ADMIN})

# The audit actions of documents, written to the case's trail (CaseEvent.action).
DOCUMENT_DRAFT = "document_draft"
DOCUMENT_SUBMIT = "document_submit"
DOCUMENT_APPROVE = "document_approve"
DOCUMENT_RETURN = "document_return"
DOCUMENT_ISSUE = "document_issue"
DOCUMENT_REISSUE = "document_reissue"
DELIVERY_RECORD = "delivery_record"
DELIVERY_UPDATE = "delivery_update"
DELIVERY_PROOF = "delivery_proof"


def invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput("；".join(fields.values()), fields=fields)


def full_clean(instance: models.Model, **kwargs: Any) -> None:
    exclude = ["status"] if isinstance(instance, Document) else None
    try:
        instance.full_clean(exclude=exclude, **kwargs)
    except ValidationError as err:
        raise invalid(validation_error_fields(err)) from None


def record_case_event(
    *,
    case: Case,
    actor: User | None,
    action: str,
    on: dt.date | None,
    data: dict[str, Any],
    note: str = "",
) -> CaseEvent:
    """The one way documents write the case's audit trail: a row that leaves the state as it is.

    Every document step and delivery calls this in its own transaction, so the row commits or
    rolls back with the step.
    """
    return services.case_record_event(
        case=case, actor=actor, action=action, on=on, data=data, note=note
    )


def event_data(document: Document, **extra: Any) -> dict[str, Any]:
    return {"document": document.pk, "kind": document.kind, "title": document.title, **extra}


def step_date(
    on: dt.date | None, *, case: Case, after: list[tuple[dt.date | None, str]], field: str = "on"
) -> dt.date:
    """The date a step happened: given by the user, never future, never before the step before."""
    on = on or clock.today()
    if on > clock.today():
        raise invalid({field: "日期不能晚于今天"})
    if on < limits.EARLIEST_DATE:
        raise invalid({field: limits.EARLIEST_DATE_MESSAGE})
    if on < case.received_on:
        raise invalid({field: f"日期不能早于收到申请日期（{case.received_on:%Y-%m-%d}）"})
    for earlier, label in after:
        if earlier is not None and on < earlier:
            raise invalid({field: f"日期不能早于{label}（{earlier:%Y-%m-%d}）"})
    return on


def check_visible(actor: User, agency_id: int, what: str = "文书") -> None:
    if not actor.may_see(agency_id):
        raise NotFound(f"{what}不存在或不属于您所在的机关")


def may_write(actor: User, document: Document) -> bool:
    if actor.is_platform_admin:
        return True
    if not actor.may_see(document.agency_id):
        return False
    if document.kind == DocumentKind.RECEIPT and actor.role == Role.REGISTRAR:
        return True
    return actor.role in CASEWORK_ROLES


def check_write(actor: User, document: Document, what: str) -> None:
    check_visible(actor, document.agency_id)
    if not may_write(actor, document):
        raise NotPermitted(
            f"您的角色无权{what}（限承办人、负责人、机关管理员；登记回执还可由登记员办理）"
        )


def check_approver(actor: User, document: Document, what: str) -> None:
    check_visible(actor, document.agency_id)
    if not (actor.is_platform_admin or actor.role in APPROVER_ROLES):
        raise NotPermitted(f"您的角色无权{what}（限负责人、机关管理员）")


def check_settings_admin(actor: User, agency_id: int) -> None:
    check_visible(actor, agency_id, "机关")
    if not (actor.is_platform_admin or actor.role in SETTINGS_ROLES):
        raise NotPermitted("只有机关管理员可以修改文书设置和模板")


def locked(document: Document) -> Document:
    """Re-read the document under a row lock (the status may have moved since it was read)."""
    try:
        return (
            Document.objects.select_for_update(of=("self",))
            .select_related("case", "agency")
            .get(pk=document.pk)
        )
    except Document.DoesNotExist:
        raise NotFound("文书不存在") from None
