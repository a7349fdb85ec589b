"""The working-day calendar: every clerk may look at it; platform admins change it, through the
services, which audit the change and queue the recompute of the open cases' due dates."""

from django import forms
from django.contrib import admin, messages

from .. import services
from ..models import CalendarChange, CalendarDay, CalendarYear
from .access import _ClerkAccessMixin, is_platform_admin


class _CalendarAdminMixin(_ClerkAccessMixin):
    """Everyone may look at the calendar; platform admins change it, through the services."""

    def has_add_permission(self, request):
        return is_platform_admin(request)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def _scheduled(self, request):
        self.message_user(request, "已安排重新计算受影响的未办结申请的期限。", messages.INFO)

    def save_model(self, request, obj, form, change):
        self.save_service(actor=request.user, obj=obj)
        self._scheduled(request)

    def delete_model(self, request, obj):
        self.delete_service(actor=request.user, objs=[obj])
        self._scheduled(request)

    def delete_queryset(self, request, queryset):
        if self.delete_service(actor=request.user, objs=list(queryset)):
            self._scheduled(request)


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdminMixin, admin.ModelAdmin):
    """Adding a year marks its notice complete: enter the year's days first, then the year."""

    list_display = ["year", "notice", "loaded_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["year"].help_text = (
            "请先在“节假日安排”中录入该年全部放假和调休上班日期，再添加本年度记录；"
            "添加前该年的期限按周末和法定节日暂定计算。"
        )

        class NoticeEnteredForm(form):
            def clean_year(self):
                year = self.cleaned_data["year"]
                if message := services.calendar_notice_missing(year):
                    raise forms.ValidationError(message)
                return year

        return NoticeEnteredForm

    @staticmethod
    def save_service(*, actor, obj):
        services.calendar_year_save(actor=actor, year=obj)

    @staticmethod
    def delete_service(*, actor, objs):
        return services.calendar_year_delete(actor=actor, years=objs)


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", ("date", admin.DateFieldListFilter)]
    search_fields = ["name", "source"]
    date_hierarchy = "date"

    @staticmethod
    def save_service(*, actor, obj):
        services.calendar_day_save(actor=actor, day=obj)

    @staticmethod
    def delete_service(*, actor, objs):
        return services.calendar_day_delete(actor=actor, days=objs)


@admin.register(CalendarChange)
class CalendarChangeAdmin(_ClerkAccessMixin, admin.ModelAdmin):
    """Who changed the calendar, and whether the open cases' due dates were recomputed."""

    list_display = [
        "created_at",
        "description",
        "actor",
        "processed_at",
        "cases_changed",
        "attempts",
    ]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in CalendarChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
