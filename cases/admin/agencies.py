"""Agencies: every clerk sees their own, platform admins add and change them."""

from django.contrib import admin

from ..models import Agency
from .access import _ClerkAccessMixin, is_platform_admin


@admin.register(Agency)
class AgencyAdmin(_ClerkAccessMixin, admin.ModelAdmin):
    list_display = ["code", "name", "email"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_platform_admin(request):
            return queryset
        return queryset.filter(pk=request.user.agency_id)

    def has_add_permission(self, request):
        return is_platform_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False
