"""The clerks' screen until a dedicated one exists.

The case page shows the audit trail read-only and offers the transitions allowed now as buttons
(django-fsm-2's admin integration). Every button, and every save, calls the same services as the
API; the state is never an editable field; a clerk sees only their agency.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models.functions import ExtractYear
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_fsm.admin import FSMAdminMixin, FSMTransitionContext

from . import audit_display, clock, services, vocabulary
from .deadlines import explain, is_overdue
from .errors import ApplicationError
from .filters import CaseSearchFilter
from .models import (
    CASEWORK_ROLES,
    Agency,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Case,
    CaseEvent,
    CaseState,
    DeliveryForm,
    FeeBasis,
    LoginLockout,
    Role,
    User,
)
from .selectors import case_events, case_list, case_search_q

log = logging.getLogger(__name__)


def _is_clerk(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or user.agency_id is not None)


class _ClerkAccessMixin:
    """Access by role and agency rather than per-model Django permissions."""

    def has_module_permission(self, request):
        return _is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return _is_clerk(request)


@admin.register(Agency)
class AgencyAdmin(_ClerkAccessMixin, admin.ModelAdmin):
    list_display = ["code", "name", "email"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=request.user.agency_id)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


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

    @staticmethod
    def _is_agency_admin(request) -> bool:
        user = request.user
        return user.is_active and user.agency_id is not None and user.role == Role.AGENCY_ADMIN

    def _may_manage(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if not self._is_agency_admin(request):
            return False
        return obj is None or (obj.agency_id == request.user.agency_id and not obj.is_superuser)

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        # Users who acted on cases are referenced by the audit trail: deactivate them instead.
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency_id=request.user.agency_id, is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = set(self._platform_only_fields)
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("agency", "last_login", "date_joined")

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["role", "is_active"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
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


# One form per transition: the date of the step plus the step's own fields.


class _ActionForm(forms.Form):
    on = forms.DateField(
        label="事项日期",
        required=False,
        help_text="事项实际发生的日期；留空为今天",
        widget=AdminDateWidget,
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])


class ReviewForm(_ActionForm):
    handler = forms.ModelChoiceField(
        label="承办人",
        queryset=User.objects.filter(is_active=True, role__in=CASEWORK_ROLES),
        required=False,
        help_text="留空则由审查人承办",
    )


class RequestCorrectionForm(_ActionForm):
    items = forms.CharField(label="补正事项", widget=forms.Textarea(attrs={"rows": 3}))
    period_days = forms.IntegerField(label="补正期限（工作日）", required=False, min_value=1)


class ConsultForm(_ActionForm):
    party = forms.CharField(label="征求意见对象", max_length=200)


class ReceiveOpinionForm(_ActionForm):
    opinion = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssueFeeNoticeForm(_ActionForm):
    basis = forms.ChoiceField(label="收费方式", choices=FeeBasis.choices)
    amount = forms.DecimalField(label="金额（元）", max_digits=10, decimal_places=2)


class ExtendForm(_ActionForm):
    working_days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(_ActionForm):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[
            (key, label)
            for key, label in vocabulary.OUTCOME_CHOICES
            if key not in vocabulary.OUTCOMES_NOT_ANSWERABLE
        ],
    )
    reply = forms.CharField(
        label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不予公开、部分公开时必填",
    )
    legal_basis = forms.CharField(
        label="法律依据", required=False, help_text="留空则按办理结果填写"
    )
    delivery = forms.ChoiceField(
        label="送达方式", choices=[("", "—"), *DeliveryForm.choices], required=False
    )


ACTION_FORMS = {
    "review": ReviewForm,
    "request_correction": RequestCorrectionForm,
    "receive_correction": _ActionForm,
    "lapse": _ActionForm,
    "consult": ConsultForm,
    "receive_opinion": ReceiveOpinionForm,
    "issue_fee_notice": IssueFeeNoticeForm,
    "receive_payment": _ActionForm,
    "extend": ExtendForm,
    "answer": AnswerForm,
    "withdraw": _ActionForm,
    "archive": _ActionForm,
}


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
        return _is_clerk(request)

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


@admin.register(Case)
class CaseAdmin(_ClerkAccessMixin, FSMAdminMixin, admin.ModelAdmin):
    change_form_template = "admin/cases/case/change_form.html"
    save_on_top = True  # the allowed actions show above the form too
    fsm_transition_form_template = "admin/cases/case/transition_form.html"
    fsm_fields = ["state"]
    fsm_forms = ACTION_FORMS
    fsm_transition_success_msg = "“{transition_name}”已完成。"
    fsm_transition_not_allowed_msg = "当前不能执行“{transition_name}”。"
    fsm_transition_error_msg = "“{transition_name}”未执行：{error}"

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
    # Term by term; get_search_results adds identity number, phone and a phrase of the request.
    search_fields = ["reference", "applicant_name"]
    search_help_text = CaseSearchFilter.search_description  # the API's search box, the same
    list_select_related = ["agency", "assigned_handler"]
    date_hierarchy = "received_on"
    inlines = [CaseEventInline]

    @staticmethod
    def get_fsm_block_label(fsm_field_name):
        return "办理操作"

    def get_help_text(self, transition):
        return transition.custom.get("help_text", "")

    def _get_fsm_extra_context(self, *, request, obj):
        # A list, not django-fsm-2's generator: the template shows the buttons twice.
        return list(super()._get_fsm_extra_context(request=request, obj=obj))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return [*self.list_filter, "agency"]
        return self.list_filter

    def get_queryset(self, request):
        return case_list(user=request.user)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        other = case_search_q(search_term)
        if other is not None:
            found = found | queryset.filter(other)
        return found, may_have_duplicates

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_handler":
            handlers = User.objects.filter(is_active=True, role__in=CASEWORK_ROLES)
            if not request.user.is_superuser:
                handlers = handlers.filter(agency_id=request.user.agency_id)
            kwargs["queryset"] = handlers
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            head = ("agency",) if request.user.is_superuser else ()
            return [(None, {"fields": (*head, *DATA_FIELDS)})]
        return [
            (None, {"fields": ("reference", "agency", "state", *DATA_FIELDS)}),
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
        return _is_clerk(request) and (
            request.user.is_superuser or request.user.may_act("register", request.user.agency_id)
        )

    def has_change_permission(self, request, obj=None):
        return _is_clerk(request)

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
                    changes={name: form.cleaned_data[name] for name in form.changed_data},
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        case = self.get_object(request, unquote(object_id))
        if case is not None:
            # A missing button says why (e.g. no correction after a consultation).
            refused = services.refused_actions(case, request.user)
            context["refused_actions"] = [
                (services.action_label(name), why) for name, why in refused.items()
            ]
        return super().change_view(request, object_id, form_url, context)

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

    def _run_action(self, *, obj, transition_name, request, params) -> None:
        """The action's service instead of the transition and a direct save. Raises the
        service's ApplicationError."""
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        params.setdefault("note", "")
        services.ACTION_SERVICES[transition_name](case=obj, actor=request.user, **params)
        label = services.action_label(transition_name)
        self.message_user(
            request, self.fsm_transition_success_msg.format(transition_name=label), messages.SUCCESS
        )

    def _refused(self, request, transition_name, err: ApplicationError) -> None:
        label = services.action_label(transition_name)
        message = self.fsm_transition_error_msg.format(transition_name=label, error=err.message)
        self.message_user(request, message, messages.ERROR)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        try:
            self._run_action(
                obj=obj, transition_name=transition_name, request=request, params=kwargs
            )
        except ApplicationError as err:
            self._refused(request, transition_name, err)
            return False
        return True

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        """django-fsm-2's action page, except that a refusal of the service is shown on the form
        (on the fields it names) with everything as typed, as field validation is."""
        case = self.get_object(request, unquote(object_id))
        form_class = ACTION_FORMS.get(transition_name)
        if case is None or form_class is None:
            return super().fsm_transition_view(request, object_id, transition_name, **kwargs)
        transition = self._get_fsm_transition_by_name(obj=case, transition_name=transition_name)
        if not transition.has_perm(case, user=request.user):
            return super().fsm_transition_view(request, object_id, transition_name, **kwargs)
        form = form_class(data=request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                self._run_action(
                    obj=case,
                    transition_name=transition_name,
                    request=request,
                    params=form.cleaned_data,
                )
            except ApplicationError as err:
                self._refused(request, transition_name, err)
                _refusal_to_form(form, err)
            else:
                return redirect("admin:cases_case_change", object_id=case.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "transition": FSMTransitionContext(
                name=transition_name,
                label=self.get_fsm_label(transition),
                help_text=self.get_help_text(transition),
            ),
            "transition_form": form,
        }
        return render(request, self.fsm_transition_form_template, context)


class _CalendarAdminMixin:
    """Everyone may look at the calendar; platform admins change it, through the services."""

    def has_module_permission(self, request):
        return _is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return _is_clerk(request)

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

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
class CalendarChangeAdmin(admin.ModelAdmin):
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

    def has_module_permission(self, request):
        return _is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return _is_clerk(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Failed logins (django-axes). Deleting a row lifts that lockout; agency admins see their
    own agency's users, platform admins everyone."""

    list_display = ["username", "ip_address", "failures", "last_attempt", "locked", "unlock_at"]
    search_fields = ["username", "ip_address"]
    actions = ["delete_selected"]
    list_display_links = None

    def _may_manage(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role == Role.AGENCY_ADMIN)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        usernames = User.objects.filter(agency_id=request.user.agency_id).values("username")
        return queryset.filter(username__in=usernames)

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request)

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


class _AdminRefusal(Exception):
    def __init__(self, error: ApplicationError):
        super().__init__(error.message)
        self.error = error


def _refusal_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    """A service's refusal as the form's errors: on the fields it names that the form shows,
    and its whole message above the form when it names none of them (or also others)."""
    placed = [name for name in error.fields if name in form.fields]
    for name in placed:
        form.add_error(name, str(error.fields[name]))
    if not placed or len(placed) < len(error.fields):
        form.add_error(None, error.message)
