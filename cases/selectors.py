"""Reads. A user sees the cases and agencies of their own agency; platform admins see all."""

import unicodedata

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import Func, Q, QuerySet, TextField, Value

from . import hooks
from .identity import normalise_id_number, normalise_phone
from .models import Agency, Case, CaseEvent, User

# What a phone number may be written with (after NFKC folds full-width forms to these).
_PHONE_CHARACTERS = frozenset("0123456789+-() ")


def case_list(*, user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("agency", "assigned_handler")
    # What other apps add to the case's representation, fetched in one query per relation.
    prefetch = [name for extra in hooks.representations() for name in extra.prefetch]
    if prefetch:
        cases = cases.prefetch_related(*prefetch)
    if user.is_platform_admin:
        return cases
    return cases.filter(agency_id=user.agency_id)


# Shorter terms have no trigram: PostgreSQL matches them through case_search_grams.
TRIGRAM = 3


class SearchGrams(Func):
    """The single characters and neighbouring pairs of a text, upper-cased (migration 0014)."""

    function = "case_search_grams"
    output_field = ArrayField(TextField())


def _name_contains(term: str) -> Q:
    if len(term) < TRIGRAM and connection.vendor == "postgresql":
        # A name contains one or two characters exactly when its grams include the term's.
        return Q(DataContains(SearchGrams("applicant_name"), SearchGrams(Value(term))))
    return Q(applicant_name__icontains=term)


def case_term_q(term: str) -> Q:
    """One search term: the beginning of the reference, or a part of the applicant's name.

    The reference by its beginning (an agency code, a year, a whole reference) through its
    pattern index; the name anywhere in it, which PostgreSQL answers from a trigram index on
    UPPER(applicant_name) (migration 0013) for terms of three characters or more, and from the
    index of its characters and pairs of characters (migration 0014) for shorter ones.
    """
    query = _name_contains(term)
    prefix = term.upper()
    if prefix.isascii():  # references are ASCII: another term cannot begin one
        query |= Q(reference__startswith=prefix)
    return query


def case_search(*, queryset: QuerySet[Case], terms: list[str], text: str) -> QuerySet[Case]:
    """The search box of the API and the admin: every term matches the reference or the name
    (case_term_q), or the whole text matches as an identity number, a phone number or a phrase
    of the request (case_search_q)."""
    if not terms:
        return queryset
    query = Q()
    for term in terms:
        query &= case_term_q(term)
    other = case_search_q(text)
    return queryset.filter(query if other is None else query | other)


def case_search_q(text: str) -> Q | None:
    """The search box's other readings of what a clerk typed, besides reference and applicant
    name (the admin's and the API's search_fields): the whole text as an identity number or a
    phone number, matched exactly on the normalised value, or as a phrase of the request.

    Exact matches on indexed columns, and one ICONTAINS that PostgreSQL answers from a trigram
    index on UPPER(description) (migration 0013).
    """
    phrase = text.replace("\x00", "").strip()
    if not phrase:
        return None
    # A phrase of the request: three characters or more, what the trigram index can find (one
    # or two characters of a request's text find noise, and would read every case).
    readings = []
    if len(phrase) >= TRIGRAM:
        readings.append(Q(description__icontains=phrase))
    id_number = normalise_id_number(phrase)
    if id_number.isascii() and id_number.isalnum():
        readings.append(Q(id_number=id_number))
    digits = normalise_phone(phrase)
    if digits and set(unicodedata.normalize("NFKC", phrase)) <= _PHONE_CHARACTERS:
        readings.append(Q(contact_phone_digits=digits))
    if not readings:
        return None
    query = readings[0]
    for reading in readings[1:]:
        query |= reading
    return query


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def agency_list(*, user: User) -> QuerySet[Agency]:
    if user.is_platform_admin:
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)
