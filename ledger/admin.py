"""The ledger's imports and exports in the clerks' screen: read-only lists for agency admins
(their agency) and platform admins. Importing goes through the API or ``import_cases``."""

from django.contrib import admin

from cases.admin.access import is_platform_admin, may_manage_own_agency

from .models import ImportBatch, LedgerExport


class _AgencyAdminsReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_platform_admin(request) or may_manage_own_agency(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency_id=request.user.agency_id)


@admin.register(ImportBatch)
class ImportBatchAdmin(_AgencyAdminsReadOnly):
    list_display = [
        "file_name", "agency", "dry_run", "state", "rows_done", "rows_total", "error_count",
        "created_by", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "dry_run"]
    fields = [
        "agency", "file_name", "dry_run", "all_or_nothing", "state", "rows_total", "rows_done",
        "error_count", "summary", "created_by", "created_at", "finished_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="结果")
    def summary(self, obj):
        return (obj.report or {}).get("summary", "")


@admin.register(LedgerExport)
class LedgerExportAdmin(_AgencyAdminsReadOnly):
    list_display = ["created_at", "user", "agency", "format", "rows", "unmasked"]
    list_filter = ["unmasked", "format"]
    fields = ["created_at", "user", "agency", "format", "rows", "unmasked", "query"]
    readonly_fields = fields
