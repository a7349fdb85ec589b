"""The annual report page: the table of an agency and year in the official layout (either
format), its cross-checks, the snapshots with generate/refresh, publish and reopen for those who
may (agency admins, platform admins), the export files, and the roll-up for platform admins.

Reads through reporting.selectors, writes through reporting.services, files through
reporting.exports: the same as the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from cases import clock
from cases.action_forms import refusal_to_form
from cases.errors import ApplicationError, NotFound, NotPermitted
from cases.permissions import may_manage_agency
from cases.selectors import agency_list
from reporting import exports, selectors, services
from reporting.exports.html_file import table_context
from reporting.layout import ALL_AGENCIES, FIRST_YEAR, TEMPLATE_NOTICES
from reporting.locks import locked_years
from reporting.models import ReportStatus

from ..forms import PublishForm, ReopenForm
from .common import desk_view

EXPORT_FORMATS = (
    ("xlsx", "Excel（XLSX）"),
    ("docx", "Word（DOCX）"),
    ("csv", "CSV"),
    ("html", "打印页面（HTML）"),
    ("json", "JSON"),
)


class _Query:
    """The agency, year and template asked for, checked as the API checks them."""

    def __init__(self, request, data):
        user = request.user
        try:
            self.agency = selectors.table_scope(user=user, code=data.get("agency"))
        except NotFound as err:
            raise Http404(err.message) from None
        except NotPermitted:
            raise PermissionDenied from None
        self.error = ""
        try:
            self.year = services.validate_year(int(data.get("year") or clock.today().year - 1))
            self.template = services.validate_template(data.get("template"), self.year)
        except (ApplicationError, ValueError) as err:
            self.year = clock.today().year - 1
            self.template = services.validate_template(None, self.year)
            self.error = getattr(err, "message", "年度无效")
        self.code = self.agency.code if self.agency else ALL_AGENCIES

    def params(self, **extra) -> str:
        params = {"agency": self.code, "year": self.year, "template": self.template}
        return urlencode({**params, **extra})


def _page(request, query: _Query, *, forms: dict | None = None, status: int = 200):
    user = request.user
    agency = query.agency
    table = selectors.annual_table(agency=agency, year=query.year, template=query.template)
    may_manage = agency is not None and may_manage_agency(user, agency.pk)
    reports = []
    locked = False
    if agency is not None:
        snapshots = selectors.annual_report_list(user=user).filter(agency=agency, year=query.year)
        for report in snapshots.order_by("-generated_at", "-pk"):
            form = (forms or {}).get(report.pk) or PublishForm()
            reports.append({"report": report, "publish_form": form})
        locked = query.year in locked_years(agency.pk, [query.year])
    agencies = [(a.code, a.name) for a in agency_list(user=user).order_by("code")]
    if user.is_platform_admin:
        agencies.insert(0, (ALL_AGENCIES, "全部机关（汇总）"))
    context = {
        "query": query,
        "table": table,
        "grid": table_context(table),
        "checks_ok": all(check["ok"] for check in table["checks"]),
        "agencies": agencies,
        "years": list(range(clock.today().year, FIRST_YEAR - 1, -1)),
        "templates": TEMPLATE_NOTICES,
        "reports": reports,
        "may_manage": may_manage,
        "locked": locked,
        "reopen_form": (forms or {}).get("reopen") or ReopenForm(),
        "export_formats": EXPORT_FORMATS,
        "draft": ReportStatus.DRAFT,
    }
    return render(request, "desk/reports.html", context, status=status)


@desk_view
@require_GET
def reports_page(request):
    return _page(request, _Query(request, request.GET))


def _back(query: _Query):
    return redirect(f"{reverse('desk:reports')}?{query.params()}")


@desk_view
@require_POST
def report_generate(request):
    query = _Query(request, request.POST)
    if query.agency is None:
        raise Http404
    try:
        services.annual_report_generate(
            agency=query.agency, year=query.year, template=query.template, actor=request.user
        )
    except ApplicationError as err:
        messages.error(request, f"未生成：{err.message}")
    else:
        messages.success(request, f"已生成{query.year}年度统计表草稿（{query.template}年格式）。")
    return _back(query)


def _report(request, pk: int):
    return get_object_or_404(selectors.annual_report_list(user=request.user), pk=pk)


@desk_view
@require_POST
def report_publish(request, pk: int):
    report = _report(request, pk)
    query = _Query(
        request, {"agency": report.agency.code, "year": report.year, "template": report.template}
    )
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.annual_report_publish(report=report, actor=request.user, **form.cleaned_data)
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            messages.success(request, f"已发布{report.year}年度统计表，该年度已锁定。")
            return _back(query)
    return _page(request, query, forms={report.pk: form})


@desk_view
@require_POST
def period_reopen(request):
    query = _Query(request, request.POST)
    if query.agency is None:
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.period_reopen(
                agency=query.agency,
                year=query.year,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            messages.success(request, f"已重新开放{query.year}年度。")
            return _back(query)
    return _page(request, query, forms={"reopen": form})


def _download(table: dict, key: str) -> HttpResponse:
    if key not in exports.EXPORTS:
        raise Http404
    export = exports.export_table(table, key)
    response = HttpResponse(export.content, content_type=export.content_type)
    if key != "html":  # a page to print, not a download
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@desk_view
@require_GET
def report_export(request):
    """The table as it stands now, in a file."""
    query = _Query(request, request.GET)
    table = selectors.annual_table(agency=query.agency, year=query.year, template=query.template)
    return _download(table, request.GET.get("format", ""))


@desk_view
@require_GET
def snapshot_export(request, pk: int):
    """A snapshot's table as it was generated (or published), in a file."""
    return _download(_report(request, pk).table, request.GET.get("format", ""))
