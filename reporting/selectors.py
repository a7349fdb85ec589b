"""Reads of the reporting app. Clerks see their own agency; platform admins see all of them."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.errors import NotFound, NotPermitted
from cases.models import Agency, User

from .models import AnnualReport, PeriodEvent
from .tables import ALL_AGENCIES


def table_scope(*, user: User, code: str | None) -> Agency | None:
    """The agency whose table the user asks for; None means all agencies (the roll-up).

    Without a code, a clerk gets their agency and a platform admin the roll-up.
    """
    code = (code or "").strip()
    if not code:
        if user.agency_id is not None and not user.is_platform_admin:
            return user.agency
        if user.is_platform_admin:
            return None
        raise NotFound("您不属于任何机关")
    if code.lower() == ALL_AGENCIES:
        if not user.is_platform_admin:
            raise NotPermitted("全部机关的汇总表仅平台管理员可查看")
        return None
    agency = Agency.objects.filter(code=code.upper()).first()
    if agency is None or not user.may_see(agency.pk):
        # Word for word the same for an unknown code and another agency's (the code is not
        # echoed either), so codes cannot be probed for which agencies exist.
        message = "机关不存在或不属于您所在的机关"
        raise NotFound(message, fields={"agency": message})
    return agency


def annual_report_list(*, user: User) -> QuerySet[AnnualReport]:
    reports = AnnualReport.objects.select_related("agency", "generated_by", "published_by")
    if user.is_platform_admin:
        return reports
    return reports.filter(agency_id=user.agency_id)


def period_events(*, user: User, agency: Agency | None) -> QuerySet[PeriodEvent]:
    events = PeriodEvent.objects.select_related("agency", "actor", "report")
    if agency is not None:
        events = events.filter(agency=agency)
    elif not user.is_platform_admin:
        events = events.filter(agency_id=user.agency_id)
    return events.order_by("agency__code", "year", "id")
