"""The clock's inputs are stored, and every action's audit event records the due dates it
moved. Through the API: 2024 dates on the official calendar (10 Jun Dragon Boat Festival)."""

import datetime as dt

import pytest

from cases import services

from ..factories import register_case
from .helpers import act

pytestmark = pytest.mark.django_db


def events(client, case) -> dict[str, list[dict]]:
    by_action: dict[str, list[dict]] = {}
    for event in client.get(f"/api/cases/{case.pk}/events/").json():
        by_action.setdefault(event["action"], []).append(event)
    return by_action


def test_each_event_records_the_due_dates_it_moved(api, handler):
    client = api(handler)
    # Received Mon 3 Jun 2024: due 2 Jul (20 working days, 10 Jun a holiday).
    case = register_case(actor=handler, received_on=dt.date(2024, 6, 3))
    services.case_review(case=case, actor=handler, on=dt.date(2024, 6, 4))
    assert act(client, case.pk, "consult", party="某公司", on="2024-06-05").status_code == 200
    assert act(client, case.pk, "receive-opinion", on="2024-06-12").status_code == 200

    trail = events(client, case)
    assert trail["register"][0]["deadlines"]["due_on"] == {"from": None, "to": "2024-07-02"}
    assert trail["review"][0]["deadlines"] == {}  # a review moves no deadline
    assert trail["consult"][0]["deadlines"]["opinion_due_on"]["to"] == "2024-06-27"
    # 6, 7, 11, 12 Jun paused: 2 Jul + 4 working days.
    moved = trail["receive_opinion"][0]["deadlines"]["due_on"]
    assert moved["to"] == "2024-07-08"
    assert client.get(f"/api/cases/{case.pk}/").json()["due_on"] == "2024-07-08"


def test_every_consultation_round_is_counted(api, handler):
    client = api(handler)
    case = register_case(actor=handler, received_on=dt.date(2024, 6, 3))
    services.case_review(case=case, actor=handler, on=dt.date(2024, 6, 4))
    for sent, back in (("2024-06-05", "2024-06-07"), ("2024-06-11", "2024-06-12")):
        assert act(client, case.pk, "consult", party="某公司", on=sent).status_code == 200
        assert act(client, case.pk, "receive-opinion", on=back).status_code == 200

    body = client.get(f"/api/cases/{case.pk}/deadline/").json()
    # The day sent is not counted: 6-7 Jun, then 12 Jun; 2 Jul + 3 working days: 3-5 Jul.
    assert [p["working_days"] for p in body["pauses"]] == [2, 1]
    assert body["due_on"] == body["stored_due_on"] == "2024-07-05"
