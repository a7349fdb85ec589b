"""Reads. A user sees the cases and agencies of their own agency; platform admins see all."""

from django.db.models import QuerySet

from .models import Agency, Case, CaseEvent, User


def case_list(*, user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("agency", "assigned_handler")
    if user.is_platform_admin:
        return cases
    return cases.filter(agency_id=user.agency_id)


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def agency_list(*, user: User) -> QuerySet[Agency]:
    if user.is_platform_admin:
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)
