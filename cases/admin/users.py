"""Users and their login lockouts: platform admins manage everyone, an agency admin the clerks
of their own agency."""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone

from ..models import LoginLockout, User
from .access import is_platform_admin, may_manage_own_agency, may_manage_user

log = logging.getLogger(__name__)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Platform admins manage everyone; an agency admin manages the clerks of their own agency."""

    list_display = ["username", "get_full_name", "agency", "role", "is_active", "is_superuser"]
    list_filter = ["agency", "role", "is_active", "is_superuser"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("机关与角色", {"fields": ("agency", "role")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("机关与角色", {"fields": ("agency", "role")}),
    )
    _platform_only_fields = ("is_superuser", "groups", "user_permissions")

    def has_module_permission(self, request):
        return may_manage_user(request)

    def has_view_permission(self, request, obj=None):
        return may_manage_user(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_manage_user(request, obj)

    def has_add_permission(self, request):
        return may_manage_user(request)

    def has_delete_permission(self, request, obj=None):
        # Users who acted on cases are referenced by the audit trail: deactivate them instead.
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("agency")
        if is_platform_admin(request):
            return queryset
        return queryset.filter(agency_id=request.user.agency_id, is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_platform_admin(request):
            return fieldsets
        hidden = set(self._platform_only_fields)
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if is_platform_admin(request):
            return super().get_readonly_fields(request, obj)
        return ("agency", "last_login", "date_joined")

    def get_list_filter(self, request):
        return self.list_filter if is_platform_admin(request) else ["role", "is_active"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if is_platform_admin(request):
            return form
        agency_id = request.user.agency_id

        class OwnAgencyForm(form):
            def _post_clean(self):
                # Bind the user to the admin's agency before the model validates it.
                self.instance.agency_id = agency_id
                self.instance.is_superuser = False
                super()._post_clean()

        return OwnAgencyForm

    def save_model(self, request, obj, form, change):
        if obj.agency_id is not None:
            obj.is_staff = True  # clerks work in this admin
        super().save_model(request, obj, form, change)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Failed logins (django-axes). Deleting a row lifts that lockout; agency admins see their
    own agency's users, platform admins everyone."""

    list_display = ["username", "ip_address", "failures", "last_attempt", "locked", "unlock_at"]
    search_fields = ["username", "ip_address"]
    actions = ["delete_selected"]
    list_display_links = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_platform_admin(request):
            return queryset
        usernames = User.objects.filter(agency_id=request.user.agency_id).values("username")
        return queryset.filter(username__in=usernames)

    def has_module_permission(self, request):
        return may_manage_own_agency(request)

    def has_view_permission(self, request, obj=None):
        return may_manage_own_agency(request)

    def has_delete_permission(self, request, obj=None):
        return may_manage_own_agency(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            log.warning(
                "Login lockout of %s from %s cleared by %s",
                attempt.username,
                attempt.ip_address,
                request.user.username,
            )
        super().delete_queryset(request, queryset)

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次失败", ordering="attempt_time")
    def last_attempt(self, obj):
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        recent = obj.attempt_time + settings.AXES_COOLOFF_TIME > timezone.now()
        return recent and obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.display(description="自动解锁时间")
    def unlock_at(self, obj):
        if not self.locked(obj):
            return "—"
        return timezone.localtime(obj.attempt_time + settings.AXES_COOLOFF_TIME).strftime(
            "%Y-%m-%d %H:%M"
        )
