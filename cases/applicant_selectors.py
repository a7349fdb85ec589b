"""Reads about applicants: the list and the search, one applicant's history, the repeat-request
candidates at registration (Art. 36(6)) and the year's fee figures (section 六)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, Upper

from . import vocabulary
from .choices import CaseState
from .identity import normalise_id_number
from .models import Applicant, ApplicantEvent, Case, User
from .models.case_volume import VOLUME_WINDOW_DAYS

# pg_trgm's own default threshold for its % operator (pg_trgm.similarity_threshold).
SIMILARITY_MIN = 0.3
SIMILAR_CASES_MAX = 5
# The states and outcomes of a request that was replied to: a withdrawn or lapsed request was
# never answered, so repeating it is no repeat (Art. 36(6)).
ANSWERED_STATES = (CaseState.ANSWERED, CaseState.ARCHIVED)


def applicant_list(*, user: User, search: str = "") -> QuerySet[Applicant]:
    """The agency's applicants (a platform admin's: every agency's), merged records left out,
    with their number of requests and the latest date of receipt."""
    applicants = Applicant.objects.filter(merged_into__isnull=True).select_related("agency")
    if not user.is_platform_admin:
        applicants = applicants.filter(agency_id=user.agency_id)
    text = search.replace("\x00", "").strip()
    if text:
        query = Q(name__icontains=text)
        number = normalise_id_number(text)
        if number.isascii() and number.isalnum():
            query |= Q(id_number=number)
        applicants = applicants.filter(query)
    return applicants.annotate(
        case_count=Count("cases"), last_received_on=Max("cases__received_on")
    ).order_by("name", "id")


def applicant_get(*, user: User, pk: int) -> Applicant | None:
    applicants = Applicant.objects.select_related("agency", "merged_into")
    if not user.is_platform_admin:
        applicants = applicants.filter(agency_id=user.agency_id)
    return applicants.filter(pk=pk).first()


def applicant_cases(*, applicant: Applicant) -> QuerySet[Case]:
    return Case.objects.filter(applicant=applicant).order_by("-received_on", "-id")


def applicant_monthly_counts(*, applicant: Applicant) -> list[dict]:
    """Requests per calendar month of receipt, newest first: one query over the index on
    (applicant, received_on) (109号 counts items per applicant per calendar month)."""
    rows = (
        Case.objects.filter(applicant=applicant)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")
    )
    return [{"month": f"{row['month']:%Y-%m}", "count": row["count"]} for row in rows]


@dataclass(frozen=True)
class Volume:
    window_days: int
    threshold: int
    count: int
    since: dt.date

    @property
    def flagged(self) -> bool:
        return self.count > self.threshold


def applicant_volume(*, applicant: Applicant, today: dt.date) -> Volume:
    """Art. 35: the applicant's requests received in the last 30 days, against the agency's
    threshold."""
    since = today - dt.timedelta(days=VOLUME_WINDOW_DAYS - 1)
    count = Case.objects.filter(applicant=applicant, received_on__range=(since, today)).count()
    return Volume(VOLUME_WINDOW_DAYS, applicant.agency.volume_threshold, count, since)


def applicant_events(*, applicant: Applicant) -> QuerySet[ApplicantEvent]:
    return applicant.events.select_related("actor", "case").order_by("created_at", "id")


def _answered_earlier(case: Case) -> QuerySet[Case]:
    return (
        Case.objects.filter(applicant_id=case.applicant_id, state__in=ANSWERED_STATES)
        .exclude(pk=case.pk)
        .exclude(outcome__in=vocabulary.OUTCOMES_NOT_ANSWERABLE)
    )


def similar_cases(*, case: Case, limit: int = SIMILAR_CASES_MAX) -> list[dict]:
    """Earlier answered requests of the same applicant whose text is similar (Art. 36(6)): the
    handler may answer ``not_processed_duplicate`` citing the earlier reply. A hint, never a
    decision. PostgreSQL: pg_trgm similarity, its % operator served by the trigram index on
    UPPER(description); elsewhere the same trigram measure computed here."""
    if case.applicant_id is None or not case.description.strip():
        return []
    fields = ("id", "reference", "received_on", "answered_on", "outcome", "description")
    text = case.description.upper()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = list(
            _answered_earlier(case)
            .annotate(text=Upper("description", output_field=_trigram_text()))
            .filter(text__trigram_similar=text)
            .annotate(score=TrigramSimilarity(Upper("description"), text))
            .filter(score__gte=SIMILARITY_MIN)
            .order_by("-score", "-received_on", "-id")
            .values(*fields, "score")[:limit]
        )
    else:
        candidates = _answered_earlier(case).order_by("-received_on", "-id").values(*fields)
        rows = []
        for row in candidates[:500]:
            score = trigram_similarity(row["description"].upper(), text)
            if score >= SIMILARITY_MIN:
                rows.append({**row, "score": score})
        rows.sort(key=lambda row: (-row["score"], -row["received_on"].toordinal(), -row["id"]))
        rows = rows[:limit]
    for row in rows:
        row["score"] = round(float(row["score"]), 3)
        row["outcome_label"] = dict(vocabulary.OUTCOME_CHOICES).get(row["outcome"], "")
    return rows


def _trigram_text():
    """A text field offering pg_trgm's % operator (``trigram_similar``) without installing
    django.contrib.postgres as an app: the lookup the GIN index on UPPER(description) serves."""
    global _TrigramText
    if _TrigramText is None:
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.db.models import TextField

        class TrigramText(TextField):
            pass

        TrigramText.register_lookup(TrigramSimilar)
        _TrigramText = TrigramText
    return _TrigramText()


_TrigramText = None


def _trigrams(text: str) -> set[str]:
    # pg_trgm's way: words of letters and digits, each padded with two spaces before and one
    # after, cut into three-character pieces.
    grams = set()
    word = []
    for ch in [*text.lower(), " "]:
        if ch.isalnum():
            word.append(ch)
            continue
        if word:
            padded = "  " + "".join(word) + " "
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
            word = []
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams of both texts."""
    left, right = _trigrams(a), _trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def fee_figures(*, user: User, year: int, agency_id: int | None = None) -> list[dict]:
    """Section 六 of the annual report: per agency, the fee notices issued in ``year``, the
    amount they charged, and of the fees settled in the year the amount paid and the amount
    waived (减免). One aggregate query."""
    cases = Case.objects.all()
    if not user.is_platform_admin:
        cases = cases.filter(agency_id=user.agency_id)
    if agency_id is not None:
        cases = cases.filter(agency_id=agency_id)
    zero = Decimal("0.00")
    issued = Q(fee_notice_on__year=year)
    settled = Q(fee_paid_on__year=year)
    rows = (
        cases.filter(issued | settled)
        .values("agency_id", "agency__code", "agency__name")
        .annotate(
            notices=Count("id", filter=issued),
            charged=Coalesce(Sum("fee_amount", filter=issued), zero),
            # Payments recorded before the amount was asked for paid the notice's amount.
            paid=Coalesce(Sum(Coalesce("fee_paid_amount", "fee_amount"), filter=settled), zero),
            waived=Coalesce(Sum("fee_waived_amount", filter=settled), zero),
        )
        .order_by("agency__code")
    )
    return [
        {
            "agency": row["agency__code"],
            "agency_name": row["agency__name"],
            "year": year,
            "notices": row["notices"],
            "amount_charged": row["charged"],
            "amount_paid": row["paid"],
            "amount_waived": row["waived"],
        }
        for row in rows
    ]


def no_fees(*, agency, year: int) -> dict:
    """The row of an agency that charged no fee in the year (the report says so, with zeros)."""
    zero = Decimal("0.00")
    return {
        "agency": agency.code,
        "agency_name": agency.name,
        "year": year,
        "notices": 0,
        "amount_charged": zero,
        "amount_paid": zero,
        "amount_waived": zero,
    }
