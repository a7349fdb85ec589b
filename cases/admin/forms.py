"""The case forms of the admin: the action forms, generated from the action descriptions
(cases.actions) by cases.action_forms, the case form, and a service's refusal shown on either.

Both carry the version the clerk read, so that two clerks acting on the same case cannot
overwrite each other.
"""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from .. import action_forms, actions
from ..errors import ApplicationError


class ActionForm(action_forms.ActionForm):
    """An action's form with the admin's date picker (cases.action_forms generates the rest)."""

    date_widget = AdminDateWidget


def action_form(action: actions.Action) -> type[ActionForm]:
    return action_forms.action_form(action, base=ActionForm)


ACTION_FORMS = {name: action_form(actions.ACTIONS[name]) for name in actions.TRANSITIONS}


class CaseAdminForm(forms.ModelForm):
    # The version the clerk read: a save over someone else's change is refused instead of
    # overwriting it.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["expected_version"] = self.instance.version


def _refusal_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    action_forms.refusal_to_form(form, error)
