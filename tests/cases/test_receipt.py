"""The Art. 31 date of receipt at registration: derived from the channel's facts, refused when
a date given contradicts them, and the older clients' received_on alone still accepted."""

import datetime as dt

import pytest

from cases import clock
from cases.models import Case

pytestmark = pytest.mark.django_db

BASE = {
    "applicant_type": "natural_person",
    "applicant_name": "王五",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "description": "2025年本市最低工资标准调整情况",
}


def register(api, user, **fields):
    return api(user).post("/api/cases/", {**BASE, **fields}, format="json")


@pytest.mark.parametrize(
    "fields, received_on",
    [
        ({"channel": "in_person", "submitted_on": "2026-03-02"}, "2026-03-02"),
        ({"channel": "oral", "submitted_on": "2026-03-03"}, "2026-03-03"),
        ({"channel": "letter", "mail_type": "signed", "signed_on": "2026-03-04"}, "2026-03-04"),
        (
            {
                "channel": "letter",
                "mail_type": "ordinary",
                "arrived_on": "2026-03-05",
                "confirmed_on": "2026-03-05",
            },
            "2026-03-05",
        ),
        (
            {"channel": "online", "submitted_on": "2026-03-06", "confirmed_on": "2026-03-09"},
            "2026-03-09",
        ),
        (
            {"channel": "email", "submitted_on": "2026-03-06", "confirmed_on": "2026-03-10"},
            "2026-03-10",
        ),
        (
            {"channel": "fax", "submitted_on": "2026-03-06", "confirmed_on": "2026-03-06"},
            "2026-03-06",
        ),
    ],
)
def test_each_channel_gives_its_date_of_receipt(api, registrar, fields, received_on):
    response = register(api, registrar, **fields)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["received_on"] == received_on
    for name, value in fields.items():
        assert body[name] == value
    assert body["confirmation_late"] is False


def test_a_given_date_that_agrees_is_accepted(api, registrar):
    response = register(
        api,
        registrar,
        channel="letter",
        mail_type="signed",
        signed_on="2026-03-04",
        received_on="2026-03-04",
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "in_person", "submitted_on": "2026-03-02", "received_on": "2026-03-03"},
        {
            "channel": "letter",
            "mail_type": "signed",
            "signed_on": "2026-03-04",
            "received_on": "2026-03-02",
        },
        {
            "channel": "online",
            "submitted_on": "2026-03-02",
            "confirmed_on": "2026-03-04",
            "received_on": "2026-03-02",
        },
    ],
)
def test_a_date_contradicting_the_facts_is_refused_naming_the_rule(api, registrar, fields):
    response = register(api, registrar, **fields)
    assert response.status_code == 400, response.json()
    message = response.json()["fields"]["received_on"]
    assert "第三十一条" in message and "不一致" in message
    assert not Case.objects.exists()


def test_an_ordinary_letter_confirmed_after_it_arrived_is_accepted_and_flagged(api, registrar):
    response = register(
        api,
        registrar,
        channel="letter",
        mail_type="ordinary",
        arrived_on="2026-03-05",
        confirmed_on="2026-03-09",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["received_on"] == "2026-03-09"
    assert response.json()["confirmation_late"] is True


@pytest.mark.parametrize(
    "fields, field",
    [
        # A confirmation before the letter arrived, or before the online submission.
        (
            {
                "channel": "letter",
                "mail_type": "ordinary",
                "arrived_on": "2026-03-05",
                "confirmed_on": "2026-03-04",
            },
            "confirmed_on",
        ),
        (
            {"channel": "online", "submitted_on": "2026-03-05", "confirmed_on": "2026-03-04"},
            "confirmed_on",
        ),
        ({"channel": "letter", "signed_on": "2026-03-04"}, "mail_type"),
        (
            {
                "channel": "online",
                "mail_type": "signed",
                "submitted_on": "2026-03-04",
                "confirmed_on": "2026-03-04",
            },
            "mail_type",
        ),
        ({"channel": "online", "signed_on": "2026-03-04"}, "signed_on"),
        ({"channel": "online", "submitted_on": "2026-03-04"}, "confirmed_on"),
        (
            {"channel": "letter", "mail_type": "ordinary", "arrived_on": "2026-03-04"},
            "confirmed_on",
        ),
        ({"channel": "in_person", "submitted_on": "2001-01-01"}, "submitted_on"),
    ],
)
def test_impossible_facts_are_refused(api, registrar, fields, field):
    response = register(api, registrar, **fields)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Case.objects.exists()


def test_a_fact_in_the_future_is_refused(api, registrar):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = register(api, registrar, channel="in_person", submitted_on=tomorrow)
    assert response.status_code == 400
    assert "今天" in response.json()["fields"]["submitted_on"]


def test_older_clients_send_only_received_on(api, registrar):
    response = register(api, registrar, channel="letter", received_on="2026-03-02")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["received_on"] == "2026-03-02"
    assert (body["mail_type"], body["signed_on"], body["confirmed_on"]) == ("", None, None)


def test_neither_date_nor_facts_names_received_on(api, registrar):
    response = register(api, registrar, channel="online")
    assert response.status_code == 400
    assert "received_on" in response.json()["fields"]


def test_an_edit_of_the_facts_moves_the_date_of_receipt(api, registrar):
    case = register(api, registrar, channel="online", received_on="2026-03-02").json()
    response = api(registrar).patch(
        f"/api/cases/{case['id']}/",
        {"submitted_on": "2026-03-02", "confirmed_on": "2026-03-03"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["received_on"] == "2026-03-03"
    assert response.json()["due_on"] == "2026-03-31"
