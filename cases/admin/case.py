"""The case pages: the list, the registration and change form, and the audit trail; the action
buttons come from cases.admin.case_actions.

Every button, and every save, calls the same services as the API; the state is never an editable
field; a clerk sees only their agency.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models.functions import ExtractYear
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal

from .. import audit_display, clock, services
from ..deadlines import is_overdue
from ..errors import ApplicationError
from ..explanation import explain
from ..filters import CaseSearchFilter
from ..models import CASEWORK_ROLES, Case, CaseEvent, CaseState, User
from ..selectors import case_events, case_list, case_search
from .access import _ClerkAccessMixin, is_clerk, is_platform_admin, may_register
from .case_actions import CaseActionsMixin
from .forms import CaseAdminForm, _refusal_to_form


class CaseEventInline(admin.TabularInline):
    """The audit trail as a clerk reads it (cases.audit_display): Chinese names, local times,
    the recorded data as labelled fields."""

    model = CaseEvent
    verbose_name_plural = "操作记录（只读）"
    fields = [
        "recorded_at",
        "actor_display",
        "action_label",
        "from_state",
        "to_state",
        "on",
        "data_display",
        "note",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        # The row caption names the case and the actor column the user: no query per row.
        return super().get_queryset(request).select_related("case", "actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_clerk(request)

    @admin.display(description="操作")
    def action_label(self, event):
        return audit_display.action_name(event.action)

    @admin.display(description="记录时间")
    def recorded_at(self, event):
        return audit_display.local_time(event.created_at)

    @admin.display(description="操作人")
    def actor_display(self, event):
        return audit_display.person(event.actor)

    @admin.display(description="提交的数据")
    def data_display(self, event):
        rows = audit_display.data_rows(event)
        return format_html_join(mark_safe("<br>"), "{}：{}", rows) if rows else "—"


class StateFilter(admin.SimpleListFilter):
    title = "办理状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        # "new" exists only in memory before registration.
        return [(value, label) for value, label in CaseState.choices if value != CaseState.NEW]

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class ReceivedYearFilter(admin.SimpleListFilter):
    title = "收到年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("received_on"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(received_on__year=int(self.value()))
        return queryset


DATA_FIELDS = services.REGISTRATION_FIELDS


class _AdminRefusal(Exception):
    def __init__(self, error: ApplicationError):
        super().__init__(error.message)
        self.error = error


@admin.register(Case)
class CaseAdmin(_ClerkAccessMixin, CaseActionsMixin, admin.ModelAdmin):
    form = CaseAdminForm
    change_form_template = "admin/cases/case/change_form.html"
    save_on_top = True  # the allowed actions show above the form too

    list_display = [
        "reference",
        "applicant_name",
        "applicant_type",
        "state",
        "outcome",
        "received_on",
        "answered_on",
        "due_on_display",
        "assigned_handler",
    ]
    list_filter = [StateFilter, "outcome", "applicant_type", ReceivedYearFilter]
    # Shown as the search box; get_search_results searches as the API does (selectors.case_search).
    search_fields = ["^reference", "applicant_name"]
    search_help_text = CaseSearchFilter.search_description  # the API's search box, the same
    list_select_related = ["agency", "assigned_handler"]
    date_hierarchy = "received_on"
    inlines = [CaseEventInline]

    def get_list_filter(self, request):
        if is_platform_admin(request):
            return [*self.list_filter, "agency"]
        return self.list_filter

    def get_queryset(self, request):
        return case_list(user=request.user)

    def get_search_results(self, request, queryset, search_term):
        # The API's search (selectors.case_search), with the admin's own splitting of terms.
        terms = [
            unescape_string_literal(bit)
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]
            else bit
            for bit in smart_split(search_term)
        ]
        return case_search(queryset=queryset, terms=terms, text=search_term), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_handler":
            handlers = User.objects.filter(is_active=True, role__in=CASEWORK_ROLES)
            if not is_platform_admin(request):
                handlers = handlers.filter(agency_id=request.user.agency_id)
            kwargs["queryset"] = handlers
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            head = ("agency",) if is_platform_admin(request) else ()
            return [(None, {"fields": (*head, *DATA_FIELDS)})]
        return [
            (
                None,
                {"fields": ("reference", "agency", "state", *DATA_FIELDS, "expected_version")},
            ),
            (
                "期限",
                {
                    "fields": (
                        ("due_on", "due_on_provisional"),
                        ("correction_notice_due_on", "correction_due_on"),
                        ("opinion_due_on", "fee_due_on"),
                        "deadline_explanation",
                    )
                },
            ),
            (
                "办理结果",
                {
                    "fields": (
                        "outcome",
                        "answered_on",
                        "reply",
                        "legal_basis",
                        "reason",
                        "delivery",
                    )
                },
            ),
            (
                "办理过程",
                {
                    "classes": ["collapse"],
                    "fields": (
                        "reviewed_on",
                        (
                            "correction_requested_on",
                            "correction_period_days",
                            "correction_received_on",
                        ),
                        "correction_items",
                        ("consultation_sent_on", "consultation_party", "opinion_received_on"),
                        "opinion",
                        ("fee_notice_on", "fee_basis", "fee_amount", "fee_paid_on"),
                        ("extended_on", "extension_days", "extension_approved_by"),
                        "extension_reason",
                        ("withdrawn_on", "lapsed_on", "archived_on"),
                        "version",
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        editable = set(services.EDITABLE_FIELDS)
        return (
            *(
                f.name
                for f in Case._meta.get_fields()
                if f.concrete and f.name not in editable and f.name != "id"
            ),
            "deadline_explanation",
        )

    @admin.display(description="期限计算说明")
    def deadline_explanation(self, case):
        lines = explain(services.case_deadlines(case))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description="答复期限", ordering="due_on")
    def due_on_display(self, case):
        if case.due_on is None or not case.is_open:
            return "-"
        flags = []
        if case.due_on_provisional:
            flags.append("暂定")
        if is_overdue(case, today=clock.today()):
            flags.append("已逾期")
        return f"{case.due_on:%Y-%m-%d}" + (f"（{'，'.join(flags)}）" if flags else "")

    def has_add_permission(self, request):
        return may_register(request)

    def has_change_permission(self, request, obj=None):
        return is_clerk(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class ServiceRefusalForm(form):
            def _post_clean(self):
                super()._post_clean()
                # Set by changeform_view when the service refused this very input.
                refusal = getattr(request, "_case_refusal", None)
                if refusal is not None:
                    _refusal_to_form(self, refusal)

        return ServiceRefusalForm

    def save_model(self, request, obj, form, change):
        """Route saves through the services; a refusal is shown on the form (changeform_view)."""
        try:
            if change:
                saved = services.case_update(
                    case=Case.objects.get(pk=obj.pk),
                    actor=request.user,
                    changes={
                        name: form.cleaned_data[name]
                        for name in form.changed_data
                        if name != "expected_version"
                    },
                    expected_version=form.cleaned_data.get("expected_version"),
                )
            else:
                fields = {name: form.cleaned_data[name] for name in DATA_FIELDS}
                agency = form.cleaned_data.get("agency") or request.user.agency
                saved = services.case_register(actor=request.user, agency=agency, **fields)
        except ApplicationError as err:
            raise _AdminRefusal(err) from err
        obj.pk = saved.pk
        obj.reference = saved.reference  # what the success message and the admin log name

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _AdminRefusal as refusal:
            # The refused save ran in the view's transaction, now rolled back. Validating the
            # same input again with the refusal as form errors re-renders the page as typed,
            # the way field validation does, instead of discarding the input.
            request._case_refusal = refusal.error
            self.message_user(request, f"未保存：{refusal.error.message}", messages.ERROR)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        # Django's "成功添加了…“{obj}”" is built before the reference existed; the clerk needs
        # the reference to write on the letter.
        if IS_POPUP_VAR in request.POST or "_saveasnew" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        url = reverse("admin:cases_case_change", args=[obj.pk], current_app=self.admin_site.name)
        self.message_user(
            request,
            format_html(
                '已登记申请 <a href="{}">{}</a>（{}）', url, obj.reference, obj.applicant_name
            ),
            messages.SUCCESS,
        )
        if "_continue" in request.POST:
            target = url
        elif "_addanother" in request.POST:
            target = request.path
        else:
            return self.response_post_save_add(request, obj)
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(context, target))

    def history_view(self, request, object_id, extra_context=None):
        """The 历史 button shows the audit trail: Django's own log knows nothing of the actions,
        which go through the services."""
        case = self.get_object(request, unquote(object_id))
        if case is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        events = audit_display.describe(case_events(case=case))
        context = {
            **self.admin_site.each_context(request),
            "title": f"操作记录：{case}",
            "subtitle": None,
            "opts": self.opts,
            "original": case,
            "events": events,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/cases/case/audit_trail.html", context)
