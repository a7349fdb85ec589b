"""Snapshots of the annual report: drafts, publication (which locks the year), reopening.

Who may: the agency admin of the agency, and platform admins. The system itself (the year-end
task, ``actor=None``) may generate drafts.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cases import clock
from cases.errors import InvalidInput, NotFound, NotPermitted, TransitionRefused
from cases.models import Agency, User
from cases.permissions import may_manage_agency

from ..layout import FIRST_YEAR, TEMPLATES, default_template
from ..locks import lock_for_publication, locked_years
from ..models import (
    AnnualReport,
    PeriodAction,
    PeriodEvent,
    ReportContent,
    ReportScope,
    ReportStatus,
)
from ..report import all_checks, annual_report_sections
from ..selectors import annual_table


class ReportStale(TransitionRefused):
    code = "report_stale"


class ChecksFailed(TransitionRefused):
    code = "checks_failed"


# The agency admin's (and platform's) work, as cases.permissions rules it; the name stays for
# the code that imports it.
may_manage_reports = may_manage_agency


def _check_manager(actor: User | None, agency: Agency) -> None:
    if actor is None:
        return
    if not actor.may_see(agency.pk):
        raise NotFound("机关不存在或不属于您所在的机关")
    if not may_manage_reports(actor, agency.pk):
        raise NotPermitted("只有机关管理员可以生成、发布或重新开放年度报告")


def validate_year(year: int) -> int:
    today = clock.today()
    if not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(
            "年度无效", fields={"year": f"年度应在{FIRST_YEAR}年至{today.year}年之间"}
        )
    return year


def validate_template(template: str | None, year: int) -> str:
    template = template or default_template(year)
    if template not in TEMPLATES:
        raise InvalidInput("格式无效", fields={"template": "格式应为 2019 或 2021"})
    return template


def _checks_ok(table: dict[str, Any]) -> bool:
    return all(check["ok"] for check in table["checks"])


def validate_scope(scope: str | None, agency: Agency, year: int) -> str:
    """The scope asked for; by default the whole report once the office has entered anything
    for the year, else the table alone (as before the whole report existed)."""
    if not scope:
        entered = ReportContent.objects.filter(agency=agency, year=year).exists()
        return ReportScope.REPORT if entered else ReportScope.TABLE
    if scope not in ReportScope.values:
        raise InvalidInput("发布范围无效", fields={"scope": "应为 table 或 report"})
    return scope


def _report_ok(report: AnnualReport) -> bool:
    checks = report.table["checks"]
    if report.scope == ReportScope.REPORT:
        checks = all_checks(report.table, report.report)
    return all(check["ok"] for check in checks)


@transaction.atomic
def annual_report_generate(
    *,
    agency: Agency,
    year: int,
    template: str | None = None,
    actor: User | None = None,
    scope: str | None = None,
) -> AnnualReport:
    """Build the report now and keep it as the (agency, year, template) draft, replacing the
    previous draft. Published snapshots are never touched."""
    _check_manager(actor, agency)
    year = validate_year(year)
    template = validate_template(template, year)
    scope = validate_scope(scope, agency, year)
    draft = (
        AnnualReport.objects.select_for_update()
        .filter(agency=agency, year=year, template=template, status=ReportStatus.DRAFT)
        .first()
    ) or AnnualReport(agency=agency, year=year, template=template)
    draft.table = annual_table(agency=agency, year=year, template=template)
    draft.report = annual_report_sections(agency=agency, year=year, template=template)
    draft.scope = scope
    draft.checks_ok = _report_ok(draft)
    draft.generated_by = actor
    draft.generated_at = timezone.now()
    draft.full_clean(validate_constraints=False)
    draft.save()
    return draft


@transaction.atomic
def annual_report_publish(
    *,
    report: AnnualReport,
    actor: User,
    accept_failed_checks: bool = False,
    force: bool = False,
    reason: str = "",
) -> AnnualReport:
    """Publish a draft: it is frozen for good and the agency's year is locked.

    The table is rebuilt under the publication lock; if the cases changed since the draft was
    generated, publication is refused, so that what is published is what was reviewed. A year
    that has not ended is refused: publishing it would lock out the letters still to arrive.
    An agency admin may force it with a reason, which the period log keeps.
    """
    _check_manager(actor, report.agency)
    early = _check_year_ended(report.year, actor=actor, force=force, reason=reason)
    lock_for_publication(report.agency_id, report.year)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise TransitionRefused("该统计表已发布")
    if report.year in locked_years(report.agency_id, [report.year]):
        raise TransitionRefused(
            f"{report.year}年度报告已发布；如需重新发布，请先由机关管理员重新开放该年度"
        )
    current = annual_table(agency=report.agency, year=report.year, template=report.template)
    sections = annual_report_sections(
        agency=report.agency, year=report.year, template=report.template
    )
    whole = report.scope == ReportScope.REPORT
    if current["rows"] != report.table["rows"] or (
        whole and _content(sections) != _content(report.report)
    ):
        raise ReportStale("生成草稿后案件数据或填报内容已发生变化，请重新生成草稿、核对后再发布")
    report.table = current  # the same numbers; checks as of now
    report.report = sections
    if whole:
        # The whole report: every check blocks, whatever accept_failed_checks says.
        failed = [c["detail"] for c in all_checks(current, sections) if not c["ok"]]
        if failed:
            raise ChecksFailed(
                f"年度报告核对未通过，不能发布：{'；'.join(failed)}",
                fields={"checks": failed},
            )
    elif not _checks_ok(current) and not accept_failed_checks:
        failed = "；".join(c["detail"] for c in current["checks"] if not c["ok"])
        raise ChecksFailed(
            f"统计表核对未通过：{failed}。确认无误后可选择“核对未通过仍发布”",
            fields={"accept_failed_checks": "核对未通过"},
        )
    report.checks_ok = _report_ok(report)
    report.status = ReportStatus.PUBLISHED
    report.published_by = actor
    report.published_at = timezone.now()
    report.save()
    PeriodEvent.objects.create(
        agency=report.agency,
        year=report.year,
        action=PeriodAction.PUBLISH,
        report=report,
        actor=actor,
        reason=f"年度未结束提前发布：{reason.strip()}" if early else "",
    )
    return report


def _content(sections: dict[str, Any]) -> dict[str, Any]:
    """What a reader of the report sees, checks aside."""
    return {key: value for key, value in sections.items() if key != "checks"}


def _check_year_ended(year: int, *, actor: User, force: bool, reason: str) -> bool:
    """True when an unfinished year is published by force; refuses it otherwise."""
    if year < clock.today().year:
        return False
    opens = f"{year + 1}-01-01"
    if not force:
        raise InvalidInput(
            f"{year}年尚未结束，自{opens}起方可发布：发布后该年度陆续收到的申请将无法登记。"
            "确需提前发布的，由机关管理员选择强制发布并说明理由",
            fields={"year": f"自{opens}起方可发布"},
            code="year_not_ended",
        )
    if actor is not None and not may_manage_agency(actor, actor.agency_id or 0):
        raise NotPermitted("只有机关管理员可以在年度结束前发布")
    if not reason.strip():
        raise InvalidInput("请说明年度结束前发布的理由", fields={"reason": "必须说明理由"})
    return True


@transaction.atomic
def period_reopen(*, agency: Agency, year: int, actor: User, reason: str) -> PeriodEvent:
    """Reopen a published year so that its cases can be corrected; recorded with the reason.
    The published snapshot stays as it was; publishing again makes a new one."""
    _check_manager(actor, agency)
    if not reason.strip():
        raise InvalidInput("请说明重新开放的理由", fields={"reason": "请说明重新开放的理由"})
    lock_for_publication(agency.pk, year)
    if year not in locked_years(agency.pk, [year]):
        raise TransitionRefused(f"{year}年度未发布或已重新开放，无需重新开放")
    return PeriodEvent.objects.create(
        agency=agency, year=year, action=PeriodAction.REOPEN, actor=actor, reason=reason.strip()
    )
