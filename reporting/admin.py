"""The annual reports in the clerks' screen: read-only lists of snapshots, of the period lock's
history, of the appeals and of the offices' report content. Generating, publishing, reopening,
recording appeals and entering content go through the API (``/api/reports/``, ``/api/appeals/``),
which calls the same services."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from cases.admin import _ClerkAccessMixin

from .models import AnnualReport, Appeal, PeriodEvent, ReportContent


class _ReadOnlyScoped(_ClerkAccessMixin, admin.ModelAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency_id=request.user.agency_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(_ReadOnlyScoped):
    list_display = ["agency", "year", "template", "status", "checks_ok", "generated_at"]
    list_filter = ["year", "status", "template", "checks_ok"]
    fields = [
        "agency", "year", "template", "status", "generated_by", "generated_at",
        "published_by", "published_at", "checks",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="核对结果")
    def checks(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}：{}</li>",
                (("通过" if c["ok"] else "未通过", c["detail"]) for c in obj.table["checks"]),
            ),
        )


@admin.register(PeriodEvent)
class PeriodEventAdmin(_ReadOnlyScoped):
    list_display = ["agency", "year", "action", "actor", "reason", "created_at"]
    list_filter = ["year", "action"]


@admin.register(Appeal)
class AppealAdmin(_ReadOnlyScoped):
    list_display = ["agency", "kind", "number", "case", "filed_on", "result", "decided_on"]
    list_filter = ["kind", "result"]
    search_fields = ["number", "body", "case__reference"]
    fields = [
        "agency", "case", "kind", "review", "filed_on", "body", "number", "result",
        "decided_on", "orders_new_reply", "new_case", "decision_document_name", "note",
    ]  # fmt: skip
    readonly_fields = fields


@admin.register(ReportContent)
class ReportContentAdmin(_ReadOnlyScoped):
    list_display = ["agency", "year", "updated_by", "updated_at"]
    list_filter = ["year"]
    fields = ["agency", "year", "general", "problems", "other_matters", "fee_statement"]
    fields += ["website", "contact", "updated_by", "updated_at"]
    readonly_fields = fields
