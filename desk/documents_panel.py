"""The documents on the desk (when the documents app is installed): the cases waiting for an
approver's signature in the 待我审批 tab, and a panel of the case's documents on the case page
with their status, number and files. Registered in DeskConfig.ready() through desk.extensions;
the document steps themselves (submit, approve, issue, deliveries) are the documents API's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cases.choices import Role
from cases.permissions import is_platform_admin
from documents.models import Document
from documents.vocabulary import DocumentStatus


def waiting_for_approval(user) -> Q | None:
    """The cases of the approver's agency with a document submitted for signature."""
    if not (user.role == Role.APPROVER or is_platform_admin(user)):
        return None
    submitted = Document.objects.filter(status=DocumentStatus.SUBMITTED)
    if not is_platform_admin(user):
        submitted = submitted.filter(agency_id=user.agency_id)
    return Q(pk__in=submitted.values("case_id"))


def documents_panel(request, case) -> tuple[str, dict[str, Any]] | None:
    documents = list(case.documents.order_by("id"))
    if not documents:
        return None
    return "desk/_documents.html", {"documents": documents}
