"""Reads. A user sees the cases and agencies of their own agency; platform admins see all."""

import unicodedata

from django.db.models import Q, QuerySet

from .identity import normalise_id_number, normalise_phone
from .models import Agency, Case, CaseEvent, User

# What a phone number may be written with (after NFKC folds full-width forms to these).
_PHONE_CHARACTERS = frozenset("0123456789+-() ")


def case_list(*, user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("agency", "assigned_handler")
    if user.is_platform_admin:
        return cases
    return cases.filter(agency_id=user.agency_id)


def case_search_q(text: str) -> Q | None:
    """The search box's other readings of what a clerk typed, besides reference and applicant
    name (the admin's and the API's search_fields): the whole text as an identity number or a
    phone number, matched exactly on the normalised value, or as a phrase of the request.

    Exact matches and one ICONTAINS keep the door open for indexes (a trigram index on the
    description) without changing what is found.
    """
    phrase = text.replace("\x00", "").strip()
    if not phrase:
        return None
    query = Q(description__icontains=phrase)
    id_number = normalise_id_number(phrase)
    if id_number.isascii() and id_number.isalnum():
        query |= Q(id_number=id_number)
    digits = normalise_phone(phrase)
    if digits and set(unicodedata.normalize("NFKC", phrase)) <= _PHONE_CHARACTERS:
        query |= Q(contact_phone_digits=digits)
    return query


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def agency_list(*, user: User) -> QuerySet[Agency]:
    if user.is_platform_admin:
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)
