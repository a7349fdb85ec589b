"""The forms of the case actions, generated from their descriptions (cases.actions), for every
screen that offers them: the admin (cases.admin.forms) and the clerks' desk (desk.forms).

A screen chooses only how a date is typed (its widget) and what the form starts with; the fields,
their rules and their labels come from the description. A form carries the version of the case
the clerk read, so that two clerks acting on the same case cannot overwrite each other.
"""

from __future__ import annotations

from django import forms

from . import actions
from .errors import ApplicationError
from .models import CASEWORK_ROLES, Case, User


def form_field(spec: actions.Input, *, agency_id: int | None, date_widget=None) -> forms.Field:
    """The form field of one described input."""
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    bounds = {"min_value": spec.message, "max_value": spec.message} if spec.message else {}
    if spec.kind == actions.DATE:
        return forms.DateField(widget=date_widget, **common)
    if spec.kind == actions.TEXT:
        return forms.CharField(max_length=spec.max_length, **common)
    if spec.kind == actions.LONG_TEXT:
        textarea = forms.Textarea(attrs={"rows": spec.rows})
        return forms.CharField(max_length=spec.max_length, widget=textarea, **common)
    if spec.kind == actions.INTEGER:
        return forms.IntegerField(
            min_value=spec.min_value, max_value=spec.max_value, error_messages=bounds, **common
        )
    if spec.kind == actions.AMOUNT:
        return forms.DecimalField(
            max_digits=10,
            decimal_places=2,
            min_value=0,
            max_value=spec.max_value,
            error_messages=bounds,
            **common,
        )
    if spec.kind == actions.CHOICE:
        choices = list(spec.offered if spec.offered is not None else spec.choices)
        if not spec.required and spec.default is None:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, initial=spec.default, **common)
    if spec.kind == actions.USER:
        # Only the case's own agency's case workers (never another agency's).
        handlers = User.objects.filter(
            is_active=True, role__in=CASEWORK_ROLES, agency_id=agency_id
        ).order_by("last_name", "first_name", "username")
        return forms.ModelChoiceField(queryset=handlers, **common)
    raise ValueError(f"unknown input kind {spec.kind!r}")


class ActionForm(forms.Form):
    """The form of one action on one case; subclasses come from ``action_form``."""

    action: actions.Action
    # How the screen's dates are typed (None: Django's text input).
    date_widget = None

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        agency_id = case.agency_id if case is not None else None
        for spec in (actions.ON, *self.action.inputs, actions.NOTE):
            self.fields[spec.name] = form_field(
                spec, agency_id=agency_id, date_widget=self.date_widget
            )
        self.fields["version"] = self.fields.pop("version")
        if case is not None and not self.is_bound:
            self.initial.setdefault("version", case.version)

    def service_arguments(self) -> dict:
        """The cleaned input as the action's service takes it: what was left empty is left out
        (the service's default applies), and the version read is the expected version."""
        params = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        params["expected_version"] = params.pop("version", None)
        params.setdefault("note", "")
        return params


def action_form(action: actions.Action, base: type[ActionForm] = ActionForm) -> type[ActionForm]:
    name = "".join(part.title() for part in action.name.split("_")) + "Form"
    return type(name, (base,), {"action": action, "__module__": base.__module__})


def refusal_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    """A service's refusal as the form's errors: on the fields it names that the form shows,
    and its whole message above the form when it names none of them (or also others)."""
    # A hidden field (the version read) cannot show an error: its refusal goes above the form.
    placed = [
        name
        for name in error.fields
        if name in form.fields and not form.fields[name].widget.is_hidden
    ]
    for name in placed:
        form.add_error(name, str(error.fields[name]))
    if not placed or len(placed) < len(error.fields):
        form.add_error(None, error.message)
