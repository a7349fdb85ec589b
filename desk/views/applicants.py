"""The applicant as a person on the desk: on the case page, who asked, how many requests they
made in the last 30 days against the agency's Art. 35 threshold, and their earlier answered
requests that read alike (Art. 36(6)); and the applicant's own page, with every request and the
count per calendar month (the 109号 fee counts per applicant and month). Read through the
selectors the API uses (GET /api/applicants/{id}/)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases import applicant_selectors, clock
from cases.models import Case

from .common import desk_view


def shown_id_number(applicant, user) -> str:
    """As in the API: the full number only to the applicant's agency's own users."""
    if user.agency_id == applicant.agency_id:
        return applicant.id_number
    return applicant.masked_id_number


def applicant_panel(case: Case, user) -> dict | None:
    """The case page's applicant panel (None for a case without an applicant record)."""
    applicant = case.applicant
    if applicant is None:
        return None
    return {
        "applicant": applicant,
        "id_number": shown_id_number(applicant, user),
        "volume": applicant_selectors.applicant_volume(applicant=applicant, today=clock.today()),
        "similar": applicant_selectors.similar_cases(case=case),
    }


@desk_view
@require_GET
def applicant_page(request, pk: int):
    applicant = applicant_selectors.applicant_get(user=request.user, pk=pk)
    if applicant is None:
        raise Http404
    context = {
        "applicant": applicant,
        "id_number": shown_id_number(applicant, request.user),
        "cases": list(applicant_selectors.applicant_cases(applicant=applicant)[:200]),
        "monthly": applicant_selectors.applicant_monthly_counts(applicant=applicant)[:24],
        "volume": applicant_selectors.applicant_volume(applicant=applicant, today=clock.today()),
    }
    return render(request, "desk/applicant.html", context)
