"""Registering a request from a letter, and the identity number checked as it is typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import clock, permissions, services, vocabulary
from cases.action_forms import refusal_to_form
from cases.errors import ApplicationError
from cases.identity import check_identity

from ..forms import RegisterForm
from .common import desk_view


def _may_register(user) -> bool:
    return permissions.may_act(user, "register", user.agency_id)


@desk_view
def register(request):
    user = request.user
    if not _may_register(user):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        agency = fields.pop("agency", None) or user.agency
        try:
            case = services.case_register(actor=user, agency=agency, **fields)
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            messages.success(request, f"已登记申请 {case.reference}（{case.applicant_name}）")
            return redirect("desk:case", pk=case.pk)
    return render(request, "desk/register.html", {"form": form})


@desk_view
@require_POST
def identity_check(request):
    """The identity number as typed, checked on the server (cases.identity): the check
    character of a resident identity card or a unified social credit code, and whether the
    kind of number fits the applicant. POST, so that the number stays out of access logs."""
    number = request.POST.get("id_number", "").strip()
    result = {"ok": False, "messages": []}
    if number:
        applicant_type = request.POST.get("applicant_type", "")
        _, errors = check_identity(
            is_organisation=applicant_type in vocabulary.ORGANISATION_TYPES,
            id_type=request.POST.get("id_type", ""),
            id_number=number,
            today=clock.today(),
        )
        result = {"ok": not errors, "messages": list(errors.values())}
        if not errors and request.POST.get("id_type") in ("resident_id", "uscc"):
            result["messages"] = ["校验码正确"]
    return render(request, "desk/_identity_hint.html", {"check": result})
