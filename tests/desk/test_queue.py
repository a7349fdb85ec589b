"""The queue (/desk/): tabs with counts, what is due next, colours on a fixed date, filters,
search, pagination, and a number of queries that does not grow with the page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services

from ..cases.helpers import case_in_state
from ..factories import UserFactory, register_case

pytestmark = pytest.mark.django_db


def rows(html: str) -> dict[str, str]:
    """{reference: the row's tone class} of the queue's table."""
    return dict(
        (ref, tone)
        for tone, ref in re.findall(r'<tr class="tone-(\w+)" data-reference="([^"]+)"', html)
    )


def tab_counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-tab="(\w+)"[^>]*>\s*[^<]*<span class="count">(\d+)</span>', html)
    return {key: int(n) for key, n in found}


@pytest.fixture
def day_of_work(fixed_today, handler):
    """A handler's cases on 2026-03-25, one of each kind."""
    soon = case_in_state("reviewed", actor=handler)  # due 2026-03-30: 3 working days left
    overdue = register_case(actor=handler, received_on=dt.date(2026, 2, 2))
    overdue = services.case_review(case=overdue, actor=handler, on=dt.date(2026, 2, 3))
    waiting = register_case(actor=handler, received_on=dt.date(2026, 3, 16))
    waiting = services.case_request_correction(
        case=waiting, actor=handler, items="请写明文件名称", on=dt.date(2026, 3, 17)
    )
    later = register_case(actor=handler, received_on=dt.date(2026, 3, 20))
    later = services.case_review(case=later, actor=handler, on=dt.date(2026, 3, 23))
    done = case_in_state("answered", actor=handler)
    return {"soon": soon, "overdue": overdue, "waiting": waiting, "later": later, "done": done}


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/?next=/desk/"


def test_the_queue_colours_overdue_due_soon_and_waiting_cases(client_for, handler, day_of_work):
    html = client_for(handler).get("/desk/").content.decode()
    tones = rows(html)
    assert tones[day_of_work["overdue"].reference] == "overdue"
    assert tones[day_of_work["soon"].reference] == "soon"
    assert tones[day_of_work["waiting"].reference] == "waiting"
    assert tones[day_of_work["later"].reference] == "none"
    assert day_of_work["done"].reference not in tones  # concluded: not in "mine"
    # Sorted by what is due next: the overdue one first, the one due in weeks last.
    order = list(tones)
    assert order.index(day_of_work["overdue"].reference) < order.index(
        day_of_work["soon"].reference
    )
    assert order[-1] == day_of_work["later"].reference
    assert "答复期限" in html and "申请人补正期限" in html


def test_tabs_count_and_list_their_cases(client_for, handler, day_of_work):
    client = client_for(handler)
    counts = tab_counts(client.get("/desk/").content.decode())
    assert counts == {
        "mine": 4,
        "agency": 4,
        "due_soon": 1,
        "overdue": 1,
        "waiting": 1,
        "concluded": 1,
    }
    for tab, expected in (
        ("due_soon", "soon"),
        ("overdue", "overdue"),
        ("waiting", "waiting"),
        ("concluded", "done"),
    ):
        listed = rows(client.get(f"/desk/?tab={tab}").content.decode())
        assert list(listed) == [day_of_work[expected].reference], tab


def test_approvers_have_an_approval_tab_empty_until_an_app_fills_it(client_for, approver):
    html = client_for(approver).get("/desk/?tab=approval").content.decode()
    assert tab_counts(html)["approval"] == 0
    assert "暂无待您审批的事项" in html


def test_the_approval_tab_lists_what_a_registered_queue_selects(
    client_for, approver, handler, day_of_work
):
    from django.db.models import Q

    from desk import extensions

    def waiting_for_signature(user):
        return Q(pk=day_of_work["later"].pk)

    extensions.register_approval_queue(waiting_for_signature)
    try:
        html = client_for(approver).get("/desk/?tab=approval").content.decode()
    finally:
        extensions._approval_queues.remove(waiting_for_signature)
    assert tab_counts(html)["approval"] == 1
    assert list(rows(html)) == [day_of_work["later"].reference]


def test_others_have_no_approval_tab(client_for, handler, registrar):
    for user in (handler, registrar):
        assert 'data-tab="approval"' not in client_for(user).get("/desk/").content.decode()


def test_a_registrar_sees_what_they_registered_until_it_is_assigned(
    client_for, registrar, handler, fixed_today
):
    mine = register_case(actor=registrar, received_on=dt.date(2026, 3, 20))
    assigned = register_case(actor=registrar, received_on=dt.date(2026, 3, 20))
    services.case_review(case=assigned, actor=handler, on=dt.date(2026, 3, 23))
    listed = rows(client_for(registrar).get("/desk/").content.decode())
    assert list(listed) == [mine.reference]


def test_filters_and_search(client_for, handler, day_of_work):
    client = client_for(handler)
    by_state = rows(client.get("/desk/?tab=agency&state=awaiting_correction").content.decode())
    assert list(by_state) == [day_of_work["waiting"].reference]
    by_date = rows(
        client.get(
            "/desk/?tab=all&received_from=2026-03-18&received_to=2026-03-31"
        ).content.decode()
    )
    assert list(by_date) == [day_of_work["later"].reference]
    # One box: reference, applicant name, identity number or a phrase of the request; a
    # search looks through every case, concluded ones too.
    done = day_of_work["done"]
    for text in (done.reference, done.id_number):
        found = rows(client.get("/desk/", {"q": text}).content.decode())
        assert list(found) == [done.reference], text
    assert rows(client.get("/desk/", {"q": "没有这样的申请"}).content.decode()) == {}


def test_a_case_of_another_agency_never_shows(client_for, handler, other_agency, fixed_today):
    stranger = UserFactory(agency=other_agency)
    theirs = register_case(actor=stranger, received_on=dt.date(2026, 3, 20))
    html = client_for(handler).get("/desk/", {"q": theirs.reference}).content.decode()
    assert rows(html) == {}
    assert f"/desk/cases/{theirs.pk}/" not in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_page_costs_the_same_queries_whatever_its_size(client_for, handler, fixed_today):
    client = client_for(handler)
    for _ in range(2):
        case_in_state("reviewed", actor=handler)
    few = {tab: _queries(client, f"/desk/?tab={tab}") for tab in ("mine", "agency", "all")}
    for _ in range(10):
        case_in_state("consulting", actor=handler)
    many = {tab: _queries(client, f"/desk/?tab={tab}") for tab in ("mine", "agency", "all")}
    assert few == many
    # 10 for a platform admin: the documents waiting for signature join the tab counts
    assert max(many.values()) <= 10


def test_pages_of_fifty(client_for, handler, fixed_today, settings):
    from desk import selectors

    for _ in range(selectors.PAGE_SIZE + 1):
        register_case(actor=handler, received_on=dt.date(2026, 3, 20))
    client = client_for(handler)
    first = client.get("/desk/?tab=mine").content.decode()
    assert len(rows(first)) == selectors.PAGE_SIZE
    assert "共 51 件" in first and "第 1 / 2 页" in first
    second = client.get("/desk/?tab=mine&page=2").content.decode()
    assert len(rows(second)) == 1


def test_htmx_gets_only_the_queue(client_for, handler, day_of_work):
    response = client_for(handler).get("/desk/?tab=overdue", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'data-tab="overdue"' in html
    assert list(rows(html)) == [day_of_work["overdue"].reference]


def test_what_is_due_next_is_the_same_rule_in_the_database(handler, day_of_work, fixed_today):
    from cases.models import Case
    from desk import selectors

    today = fixed_today
    case_in_state("consulting", actor=handler)
    case_in_state("awaiting_fee", actor=handler)
    register_case(actor=handler, received_on=dt.date(2026, 3, 24))  # a notice still possible
    cases = Case.objects.annotate(next_due=selectors.next_due_expression(today))
    kinds = set()
    for case in cases:
        due = selectors.next_due(case, today)
        assert case.next_due == (due[1] if due else None), case.state
        kinds.add(due[0] if due else None)
    assert kinds == {"reply", "correction", "opinion", "fee", "correction_notice", None}


def test_working_days_left_for_a_page_is_the_statutory_count(db):
    from cases.calendar import work_calendar
    from cases.deadlines import working_days_left
    from desk.selectors import working_days_left_many

    cal = work_calendar()
    today = dt.date(2026, 3, 25)
    dues = [
        today,
        dt.date(2026, 3, 26),
        dt.date(2026, 3, 28),  # a Saturday
        dt.date(2026, 4, 30),
        dt.date(2026, 3, 24),
        dt.date(2026, 2, 14),  # a Saturday worked (Spring Festival)
        dt.date(2019, 6, 3),  # overdue for years
    ]
    assert working_days_left_many(dues, today=today, cal=cal) == {
        due: working_days_left(due, today=today, cal=cal) for due in dues
    }


def test_a_short_search_is_a_whole_name(client_for, handler, fixed_today):
    zhang = register_case(actor=handler, applicant_name="张伟", received_on=dt.date(2026, 3, 20))
    register_case(actor=handler, applicant_name="张伟明", received_on=dt.date(2026, 3, 20))
    found = rows(client_for(handler).get("/desk/", {"q": "张伟"}).content.decode())
    assert list(found) == [zhang.reference]


def test_a_search_is_counted_up_to_a_cap(client_for, handler, fixed_today, monkeypatch):
    from desk import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        register_case(actor=handler, received_on=dt.date(2026, 3, 20))
    html = client_for(handler).get("/desk/", {"q": "养老保险"}).content.decode()
    assert len(rows(html)) == 2  # the pages hold no more than the count says
    assert "共 2 件以上" in html


def test_who_has_no_cases_of_their_own_lands_on_the_agencys(client_for, approver, day_of_work):
    html = client_for(approver).get("/desk/").content.decode()
    assert 'class="tab active" data-tab="agency"' in html
    assert len(rows(html)) == 4
