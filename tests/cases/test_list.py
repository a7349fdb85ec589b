"""Listing: pagination, filters, search, ordering, and a query count independent of page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import hooks, services

from ..factories import UserFactory, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(handler, approver):
    """Five cases with distinct states, types, handlers and dates."""
    a = register_case(actor=handler, applicant_name="王五", received_on=dt.date(2026, 1, 5))
    b = register_case(
        actor=handler,
        applicant_name="福建某律师事务所",
        applicant_type="legal_service_institution",
        received_on=dt.date(2026, 2, 10),
    )
    c = register_case(actor=handler, applicant_name="赵六", received_on=dt.date(2026, 3, 15))
    d = register_case(
        actor=handler,
        applicant_name="某大学",
        applicant_type="research_institution",
        received_on=dt.date(2025, 12, 30),
    )
    e = register_case(actor=handler, applicant_name="王小五", received_on=dt.date(2026, 4, 1))
    b = services.case_review(case=b, actor=handler, on=dt.date(2026, 2, 11))
    b = services.case_answer(case=b, actor=handler, outcome="disclosed", on=dt.date(2026, 2, 20))
    c = services.case_review(case=c, actor=approver, on=dt.date(2026, 3, 16))
    c = services.case_answer(
        case=c,
        actor=approver,
        outcome="withheld_state_secret",
        reason="涉密",
        on=dt.date(2026, 4, 2),
    )
    d = services.case_withdraw(case=d, actor=handler, on=dt.date(2026, 1, 3))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def refs(response):
    assert response.status_code == 200, response.json()
    return sorted(item["reference"] for item in response.json()["results"])


def ids_of(cases, *keys):
    return sorted(cases[k].reference for k in keys)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=registered", "ae"),
        ("state=answered&state=registered", "abcde"),
        ("applicant_type=research_institution", "d"),
        ("applicant_type=natural_person", "ace"),
        ("outcome=disclosed", "b"),
        ("outcome=withheld_state_secret&outcome=withdrawn", "cd"),
        ("received_on_after=2026-02-10&received_on_before=2026-03-15", "bc"),
        ("received_on_before=2025-12-31", "d"),
        ("answered_on_after=2026-02-01&answered_on_before=2026-03-31", "b"),
        ("answered_on_after=2026-01-01", "bcd"),
        ("year=2025", "d"),
        ("search=王", "ae"),
        ("search=律师", "b"),
        ("search=FJRST-2025", "d"),
    ],
)
def test_filters_and_search(api, handler, cases, query, expected):
    assert refs(api(handler).get(f"/api/cases/?{query}")) == ids_of(cases, *expected)


def test_filter_by_assigned_handler(api, handler, approver, cases):
    # The reviewer becomes the handler: b by `handler`, c by `approver`.
    assert refs(api(handler).get(f"/api/cases/?assigned_handler={approver.pk}")) == ids_of(
        cases, "c"
    )
    assert refs(api(handler).get(f"/api/cases/?assigned_handler={handler.pk}")) == ids_of(
        cases, "b"
    )


def test_bad_filter_values_are_400(api, handler, cases):
    response = api(handler).get("/api/cases/?state=lost")
    assert response.status_code == 400
    assert "state" in response.json()["fields"]
    assert api(handler).get("/api/cases/?received_on_after=yesterday").status_code == 400


def test_ordering_and_pagination(api, handler, cases):
    client = api(handler)
    newest_first = client.get("/api/cases/").json()["results"]
    assert [c["received_on"] for c in newest_first] == [
        "2026-04-01",
        "2026-03-15",
        "2026-02-10",
        "2026-01-05",
        "2025-12-30",
    ]
    oldest_answer = client.get(
        "/api/cases/?ordering=answered_on&outcome=disclosed&outcome=withdrawn"
    )
    assert [c["answered_on"] for c in oldest_answer.json()["results"]] == [
        "2026-01-03",
        "2026-02-20",
    ]

    page1 = client.get("/api/cases/?page_size=2&ordering=received_on").json()
    assert page1["count"] == 5
    assert [c["received_on"] for c in page1["results"]] == ["2025-12-30", "2026-01-05"]
    assert page1["next"] and page1["previous"] is None
    page3 = client.get("/api/cases/?page_size=2&ordering=received_on&page=3").json()
    assert [c["received_on"] for c in page3["results"]] == ["2026-04-01"]
    assert client.get("/api/cases/?page=9").status_code == 404
    # A page number past any offset the database can express is just as absent, not an error.
    for listing in ("/api/cases/", "/api/applicants/"):
        far = client.get(f"{listing}?page=52507875848000495435699453952&page_size=50")
        assert far.status_code == 404, listing


def test_query_count_does_not_grow_with_page_size(api, handler, agency):
    other_handler = UserFactory(agency=agency)
    for i in range(30):
        case = register_case(actor=handler, received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        if i % 2:
            services.case_review(case=case, actor=other_handler, on=case.received_on)
    client = api(handler)

    def queries_for(page_size):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/cases/?page_size={page_size}")
        assert len(response.json()["results"]) == page_size
        return len(ctx.captured_queries)

    small, large = queries_for(2), queries_for(30)
    assert small == large
    # token, count, page, and the working-day calendar (2) — nothing per row; plus one per
    # relation other apps add to the representation (cases.hooks, e.g. the appeals).
    added = sum(len(extra.prefetch) for extra in hooks.representations())
    assert large <= 5 + added
