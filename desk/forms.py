"""The desk's forms. The action forms are generated from the action descriptions
(cases.actions, through cases.action_forms); the case's own fields come from the model, so that
labels, choices and help texts are the ones the admin and the API show."""

from __future__ import annotations

from functools import cache

from django import forms
from django.urls import reverse

from cases import action_forms, actions, clock, services, vocabulary
from cases.choices import CaseState, Channel, DayKind, IdType
from cases.models import CASEWORK_ROLES, Agency, Case, User
from reporting.layout import TEMPLATES


def date_input() -> forms.DateInput:
    # A text box, not the browser's date picker, which shows the browser's locale's format:
    # dates read 2026-11-25 on every screen (2026/11/25 and 2026年11月25日 are accepted too).
    return forms.DateInput(
        attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric", "size": 10, "class": "date"},
        format="%Y-%m-%d",
    )


class DeskActionForm(action_forms.ActionForm):
    """An action's form on the desk: a date picker that starts at today, and the outcome
    picker asking the server for the outcome's legal basis and rules as it changes."""

    date_widget = date_input()

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", clock.today())
        outcome = self.fields.get("outcome")
        if outcome is not None and case is not None:
            outcome.widget.attrs.update(
                {
                    "hx-get": reverse("desk:outcome-hint", args=[case.pk]),
                    "hx-trigger": "change",
                    "hx-target": "#outcome-hint",
                    # Not the form's own swap (it replaces itself with the refused input).
                    "hx-swap": "innerHTML",
                }
            )


@cache
def action_form_class(name: str) -> type[DeskActionForm]:
    return action_forms.action_form(actions.ACTIONS[name], base=DeskActionForm)


def _model_field(name: str, *, agency_id: int | None) -> forms.Field:
    field = Case._meta.get_field(name).formfield()
    if isinstance(field, forms.DateField):
        field.widget = date_input()
    if name == "assigned_handler":
        field.queryset = User.objects.filter(
            is_active=True, role__in=CASEWORK_ROLES, agency_id=agency_id
        ).order_by("last_name", "first_name", "username")
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs["rows"] = 3
    return field


class RegisterForm(forms.Form):
    """Registration, in the order a letter is read; the service checks everything again."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_platform_admin:
            self.fields["agency"] = forms.ModelChoiceField(
                label="机关", queryset=Agency.objects.order_by("code")
            )
        for name in services.REGISTRATION_FIELDS:
            self.fields[name] = _model_field(name, agency_id=user.agency_id)
        self.fields["note"] = forms.CharField(
            label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        if not self.is_bound:
            self.initial.update(
                {
                    "applicant_type": "natural_person",
                    "id_type": IdType.RESIDENT_ID,
                    "channel": Channel.LETTER,
                    "received_on": clock.today(),
                }
            )
        check = {
            "hx-post": reverse("desk:identity-check"),
            "hx-trigger": "input changed delay:300ms, change",
            "hx-target": "#identity-hint",
            "hx-include": "[name=applicant_type], [name=id_type], [name=id_number]",
        }
        for name in ("applicant_type", "id_type", "id_number"):
            self.fields[name].widget.attrs.update(check)
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"


def field_form(case: Case, name: str, *, data=None) -> forms.Form:
    """A form of one editable field of the case (edited in place on the case page)."""
    form = forms.Form(data=data, initial={name: getattr(case, name), "version": case.version})
    form.fields[name] = _model_field(name, agency_id=case.agency_id)
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    return form


class QueueFilterForm(forms.Form):
    """The queue's filters and its one search box (GET)."""

    q = forms.CharField(label="搜索", required=False, max_length=200)
    state = forms.ChoiceField(
        label="办理状态",
        required=False,
        choices=[("", "全部状态")] + [c for c in CaseState.choices if c[0] != CaseState.NEW],
    )
    outcome = forms.ChoiceField(
        label="办理结果", required=False, choices=[("", "全部结果"), *vocabulary.OUTCOME_CHOICES]
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        required=False,
        choices=[("", "全部类型"), *vocabulary.APPLICANT_TYPE_CHOICES],
    )
    received_from = forms.DateField(label="收到日期自", required=False, widget=date_input())
    received_to = forms.DateField(label="至", required=False, widget=date_input())
    handler = forms.ModelChoiceField(
        label="承办人", required=False, queryset=User.objects.none(), empty_label="全部承办人"
    )

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["q"].widget.attrs.update(
            {"placeholder": "申请编号、申请人、证件号码或申请内容", "type": "search"}
        )


class CalendarDayForm(forms.Form):
    """One day of a State Council notice: a holiday, or a weekend made a working day (调休)."""

    date = forms.DateField(label="日期", widget=date_input())
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="节日", max_length=100, required=False)
    source = forms.CharField(label="依据（国务院通知）", max_length=200)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=2100)
    notice = forms.CharField(label="国务院通知", max_length=200)


class ReportQueryForm(forms.Form):
    agency = forms.CharField(required=False)
    year = forms.IntegerField(required=False)
    template = forms.ChoiceField(
        required=False, choices=[("", "按年度默认")] + [(t, f"{t}年格式") for t in TEMPLATES]
    )


class PublishForm(forms.Form):
    accept_failed_checks = forms.BooleanField(label="核对未通过仍发布", required=False)
    force = forms.BooleanField(label="年度未结束提前发布（机关管理员）", required=False)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新开放的理由", widget=forms.Textarea(attrs={"rows": 2}))
