"""The case page: its facts (edited in place), the deadline and how it was counted, the
timeline, and the actions allowed now, each opening the form generated from its description.

Every change goes through cases.services; a refusal is shown on the field it names, with
everything as typed. Another agency's case is not found (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from cases import actions, audit_display, clock, services, vocabulary
from cases.action_forms import refusal_to_form
from cases.calendar import work_calendar
from cases.choices import CaseState
from cases.deadlines import is_overdue, working_days_left
from cases.errors import ApplicationError
from cases.explanation import explain
from cases.models import Case
from cases.selectors import case_events

from .. import extensions, selectors
from ..forms import action_form_class, field_form
from .applicants import applicant_panel
from .common import case_or_404, desk_view, render_page

# The process, shown read-only once it happened (the actions write these).
PROCESS_FIELDS = (
    "reviewed_on",
    "correction_requested_on",
    "correction_items",
    "correction_period_days",
    "correction_received_on",
    "consultation_sent_on",
    "consultation_party",
    "consultation_party_kind",
    "opinion_received_on",
    "opinion",
    "fee_notice_on",
    "fee_basis",
    "fee_amount",
    "fee_paid_on",
    "extended_on",
    "extension_days",
    "extension_reason",
    "extension_approved_by",
    "withdrawn_on",
    "lapsed_on",
    "archived_on",
)


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: str
    editable: bool


def _display(case: Case, name: str) -> str:
    field = Case._meta.get_field(name)
    value = getattr(case, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(getattr(case, f"get_{name}_display")())
    if field.is_relation:
        return audit_display.person(value)
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _label(name: str) -> str:
    return str(Case._meta.get_field(name).verbose_name)


def editable_fields(case: Case, user) -> set[str]:
    """The fields the user may change on this case now (the service decides again)."""
    if case.state == CaseState.ARCHIVED or not user.may_act("update", case.agency_id):
        return set()
    names = set(services.REGISTRATION_FIELDS)
    if case.outcome and user.may_act("answer", case.agency_id):
        names |= set(services.ANSWER_FIELDS)
    return names


def facts(case: Case, user) -> dict:
    editable = editable_fields(case, user)
    shown = list(services.REGISTRATION_FIELDS)
    if case.outcome:
        shown += ["outcome", "answered_on", *services.ANSWER_FIELDS, "delivery"]
        if case.competent_agency:
            shown.append("competent_agency")
    values = {n: _display(case, n) for n in shown}
    if user.agency_id != case.agency_id and case.id_number:
        # As in the API: the full number only to the agency's own users.
        values["id_number"] = case.masked_id_number
    return {
        "facts": [Fact(n, _label(n), values[n], n in editable) for n in shown],
        "process": [
            Fact(n, _label(n), _display(case, n), False)
            for n in PROCESS_FIELDS
            if getattr(case, n) not in (None, "")
        ],
    }


def deadline(case: Case) -> dict:
    cal = work_calendar()
    today = clock.today()
    due = selectors.next_due(case, today)
    days_left = None
    if case.is_open and case.due_on is not None:
        days_left = working_days_left(case.due_on, today=today, cal=cal)
    return {
        "explanation": explain(services.case_deadlines(case, cal)),
        "days_left": days_left,
        "overdue": is_overdue(case, today=today),
        "next_due": (selectors.DUE_LABELS[due[0]], due[1]) if due and due[0] != "reply" else None,
    }


def actions_context(case: Case, user) -> dict:
    return {
        "allowed": [
            (name, actions.ACTIONS[name].label, actions.ACTIONS[name].url_path)
            for name in services.allowed_actions(case, user)
        ],
        "refused": [
            (services.action_label(name), why)
            for name, why in services.refused_actions(case, user).items()
        ],
    }


@desk_view
def case_page(request, pk: int):
    case = case_or_404(request.user, pk)
    context = {
        "case": case,
        **facts(case, request.user),
        **deadline(case),
        **actions_context(case, request.user),
        "events": audit_display.describe(case_events(case=case)),
        "panels": extensions.case_panels(request, case),
        "applicant_panel": applicant_panel(case, request.user),
    }
    return render(request, "desk/case.html", context)


@desk_view
@require_GET
def case_facts(request, pk: int):
    case = case_or_404(request.user, pk)
    return render(request, "desk/_facts.html", {"case": case, **facts(case, request.user)})


@desk_view
@require_GET
def case_deadline(request, pk: int):
    case = case_or_404(request.user, pk)
    return render(request, "desk/_deadline.html", {"case": case, **deadline(case)})


@desk_view
@require_GET
def case_timeline(request, pk: int):
    case = case_or_404(request.user, pk)
    events = audit_display.describe(case_events(case=case))
    return render(request, "desk/_timeline.html", {"case": case, "events": events})


@desk_view
def case_field(request, pk: int, name: str):
    """One fact edited in place: its form (GET), or the edit saved through case_update."""
    case = case_or_404(request.user, pk)
    if name not in editable_fields(case, request.user):
        raise Http404
    form = field_form(case, name, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_update(
                case=case,
                actor=request.user,
                changes={name: form.cleaned_data[name]},
                expected_version=form.cleaned_data.get("version"),
            )
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            if not request.htmx:
                return redirect("desk:case", pk=case.pk)
            response = render(
                request, "desk/_facts.html", {"case": case, **facts(case, request.user)}
            )
            # The deadline and the timeline reload themselves (received_on moves the clock).
            response["HX-Trigger"] = "case-changed"
            return response
    context = {"case": case, "form": form, "name": name, "label": _label(name)}
    response = render_page(request, "desk/field.html", "desk/_field_form.html", context)
    if request.htmx and request.method == "POST":
        # The refused edit goes back where it was typed, not over the whole list.
        response["HX-Retarget"] = f"#fact-{name}"
        response["HX-Reswap"] = "innerHTML"
    return response


@desk_view
def case_action(request, pk: int, action: str):
    """An action's form (GET) and the action through its service (POST)."""
    case = case_or_404(request.user, pk)
    name = action.replace("-", "_")
    if name not in services.ACTION_SERVICES or name not in actions.ACTIONS:
        raise Http404
    form_class = action_form_class(name)
    refusal = ""
    if request.method == "POST":
        form = form_class(request.POST, case=case)
        if form.is_valid():
            try:
                services.ACTION_SERVICES[name](
                    case=case, actor=request.user, **form.service_arguments()
                )
            except ApplicationError as err:
                refusal_to_form(form, err)
            else:
                messages.success(request, f"“{actions.ACTIONS[name].label}”已完成。")
                url = reverse("desk:case", args=[case.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    elif name in services.allowed_actions(case, request.user):
        form = form_class(case=case)
    else:
        # The button is not offered (an old page, a typed address): say why, offer no form.
        form = None
        refusal = services.refused_actions(case, request.user).get(name) or (
            f"当前不能执行“{actions.ACTIONS[name].label}”"
        )
    url = reverse("desk:case-action", args=[case.pk, actions.ACTIONS[name].url_path])
    context = {
        "case": case,
        "form": form,
        "title": actions.ACTIONS[name].label,
        "form_name": name,
        "form_url": url,
        "button": actions.ACTIONS[name].label,
        "refusal": refusal,
        "outcome_hint": _outcome_hint(case, form["outcome"].value())
        if form is not None and "outcome" in form.fields
        else None,
    }
    return render_page(request, "desk/action.html", "desk/_action_form.html", context)


def _outcome_hint(case: Case, outcome: str | None) -> dict | None:
    labels = dict(vocabulary.OUTCOME_CHOICES)
    if not outcome or outcome not in labels:
        return None
    return {
        "label": labels[outcome],
        "basis": vocabulary.default_legal_basis(outcome, regulations=case.regulations),
        "needs_reason": outcome in vocabulary.OUTCOMES_NEEDING_REASON
        or outcome == vocabulary.NOT_RESPONSIBLE,
        "needs_basis": outcome in vocabulary.OUTCOMES_WITHOUT_DEFAULT_BASIS,
        "competent_agency": outcome == vocabulary.NOT_RESPONSIBLE,
    }


@desk_view
@require_GET
def outcome_hint(request, pk: int):
    """What the chosen outcome means for the answer: the legal basis filled in when left empty
    (in the text that applies to the case), and whether a reason must be given."""
    case = case_or_404(request.user, pk)
    hint = _outcome_hint(case, request.GET.get("outcome"))
    if hint is None:
        return HttpResponse("")
    return render(request, "desk/_outcome_hint.html", {"hint": hint})
