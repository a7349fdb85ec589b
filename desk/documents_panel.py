"""The documents on the desk (when the documents app is installed): the cases waiting for an
approver's signature in the 待我审批 tab, and a panel of the case's documents on the case page
with their status, number, text, files and deliveries, and the steps the user may take now.

The steps are the documents app's own table (documents.steps): their forms are built from the
API's input serializers and carried out by the same services, so a new step appears here with
no new template. Registered in DeskConfig.ready() through desk.extensions; the URLs are added by
desk.urls when the app is installed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django_htmx.http import HttpResponseClientRedirect
from rest_framework import serializers as drf

from cases import clock
from cases.action_forms import refusal_to_form
from cases.choices import Role
from cases.errors import ApplicationError, NotFound
from cases.permissions import is_platform_admin
from documents import selectors
from documents.models import Delivery, Document
from documents.steps import Step, offered_steps, step_named
from documents.vocabulary import DocumentStatus

from .forms import date_input
from .views.common import desk_view, render_page

# Free text typed in a box of several lines rather than one.
_LONG_TEXT = frozenset({"body", "comment", "reason", "note"})


def waiting_for_approval(user) -> Q | None:
    """The cases of the approver's agency with a document submitted for signature."""
    if not (user.role == Role.APPROVER or is_platform_admin(user)):
        return None
    submitted = Document.objects.filter(status=DocumentStatus.SUBMITTED)
    if not is_platform_admin(user):
        submitted = submitted.filter(agency_id=user.agency_id)
    return Q(pk__in=submitted.values("case_id"))


def documents_panel(request, case) -> tuple[str, dict[str, Any]] | None:
    documents = list(
        selectors.document_list(user=request.user).filter(case=case).order_by("created_at", "id")
    )
    if not documents:
        return None
    settings = selectors.settings_for(case.agency)
    rows = [
        {
            "document": document,
            "steps": offered_steps(request.user, document, settings),
            "deliveries": [
                (delivery, offered_steps(request.user, delivery, settings))
                for delivery in document.deliveries.all()
            ],
        }
        for document in documents
    ]
    return "desk/_documents.html", {"rows": rows}


def _form_field(field: drf.Field) -> forms.Field:
    """The form field of one input of a step, from the API's serializer field."""
    common = {"label": field.label, "required": field.required}
    if field.help_text and field.help_text != field.label:
        common["help_text"] = field.help_text
    if isinstance(field, drf.DateField):
        return forms.DateField(widget=date_input(), **common)
    if isinstance(field, drf.ChoiceField):
        choices = list(field.choices.items())
        if not field.required:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if isinstance(field, drf.FileField):
        return forms.FileField(**common)
    if isinstance(field, drf.CharField):
        widget = None
        if field.field_name in _LONG_TEXT:
            rows = 16 if field.field_name == "body" else 3
            widget = forms.Textarea(attrs={"rows": rows})
        return forms.CharField(max_length=field.max_length, widget=widget, **common)
    raise ValueError(f"no form field for {type(field).__name__}")  # pragma: no cover


def step_form(step: Step, *, data=None, files=None, initial=None) -> forms.Form:
    fields = {
        name: _form_field(field)
        for name, field in step.params().fields.items()
        if not field.read_only
    }
    form_class = type(f"{step.name.title()}StepForm", (forms.Form,), fields)
    return form_class(data=data, files=files, initial=initial)


def _initial(target: Document | Delivery) -> dict[str, Any]:
    """What the form starts with: today for the dates of the step, the draft's text to edit,
    the addressee to send to."""
    today = clock.today()
    if isinstance(target, Delivery):
        return {"delivered_on": today}
    return {"on": today, "sent_on": today, "body": target.body, "recipient": target.addressee}


def _parameters(step: Step, form: forms.Form) -> dict[str, Any] | None:
    """The form's input checked by the API's serializer (the same rules as the API); its
    refusals go on the fields. What was left empty is left out (the service's default)."""
    fields = step.params().fields
    data = {
        name: value
        for name, value in form.cleaned_data.items()
        if value not in (None, "") or fields[name].required
    }
    params = step.params(data=data)
    if params.is_valid():
        return dict(params.validated_data)
    for name, errors in params.errors.items():
        form.add_error(name if name in form.fields else None, " ".join(map(str, errors)))
    return None


def _run_step(request, target: Document | Delivery, model: type, name: str, url: str):
    step = step_named(model, name)
    if step is None:
        raise Http404
    document = target if isinstance(target, Document) else target.document
    case = document.case
    refusal = ""
    form = None
    if request.method == "POST":
        form = step_form(step, data=request.POST, files=request.FILES)
        params = _parameters(step, form) if form.is_valid() else None
        if params is not None:
            try:
                step.run(target, request.user, params)
            except ApplicationError as err:
                refusal_to_form(form, err)
            else:
                messages.success(request, f"“{step.label}”已完成：{document.title}。")
                page = reverse("desk:case", args=[case.pk])
                return HttpResponseClientRedirect(page) if request.htmx else redirect(page)
    elif step in offered_steps(request.user, target):
        form = step_form(step, initial=_initial(target))
    else:
        # Not offered now (an old page, a typed address): say so, offer no form.
        refusal = f"当前不能对该{('文书' if model is Document else '送达记录')}执行“{step.label}”"
    context = {
        "case": case,
        "form": form,
        "title": f"{step.label}：{document.title}",
        "form_name": step.name,
        "form_url": url,
        "button": step.label,
        "multipart": step.upload,
        "refusal": refusal,
    }
    return render_page(request, "desk/action.html", "desk/_action_form.html", context)


def _step_view(model: type, read, url_name: str):
    """The view of the steps on one kind of object (a document, a delivery): its form (GET)
    and the step through its service (POST); another agency's object is not found."""

    @desk_view
    def view(request, pk: int, step: str):
        try:
            target = read(user=request.user, pk=pk)
        except NotFound:
            raise Http404 from None
        url = reverse(f"desk:{url_name}", args=[target.pk, step])
        return _run_step(request, target, model, step, url)

    return view


document_step = _step_view(Document, selectors.document_get, "document-step")
delivery_step = _step_view(Delivery, selectors.delivery_get, "delivery-step")

urlpatterns = [
    path("documents/<int:pk>/<slug:step>/", document_step, name="document-step"),
    path("deliveries/<int:pk>/<slug:step>/", delivery_step, name="delivery-step"),
]
