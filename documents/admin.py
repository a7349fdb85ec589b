"""Documents in the clerks' screen: read-only lists. Every change goes through the API, which
calls the services (issued documents never change; the approval chain is audited)."""

from django.contrib import admin

from .models import Delivery, Document, DocumentSettings


class _ReadOnlyScoped(admin.ModelAdmin):
    agency_path = "agency_id"

    def _is_clerk(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.agency_id is not None)

    def has_module_permission(self, request):
        return self._is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return self._is_clerk(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.agency_path: request.user.agency_id})


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["recipient", "method", "sent_on", "tracking_number", "delivered_on", "returned_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(_ReadOnlyScoped):
    list_display = ["number", "title", "case", "status", "issued_on", "drafted_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "case__reference"]
    list_select_related = ["case"]
    fields = [
        "case", "kind", "status", "number", "title", "addressee", "body", "legal_basis",
        "drafted_on", "submitted_by", "submitted_on", "approved_by", "approved_on",
        "returned_by", "returned_on", "return_comment", "issued_by", "issued_on",
        "supersedes", "reissue_reason", "pdf_error",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [DeliveryInline]


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(_ReadOnlyScoped):
    list_display = ["agency", "number_format", "issue_receipts", "allow_self_approval"]
    fields = [
        "agency", "number_format", "prefixes", "approval_required", "issue_receipts",
        "allow_self_approval", "review_body", "court", "contact", "payment_instructions",
        "reasons", "updated_by", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields
