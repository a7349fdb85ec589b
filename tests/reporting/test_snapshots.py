"""Snapshots and the period lock: publish freezes a table and locks the year; reopening is
recorded and lets changes through again."""

import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases import services
from cases.models import Case
from reporting.models import AnnualReport, PeriodAction, PeriodEvent

from ..cases.helpers import act
from ..factories import register_case
from .histories import log_case, values

pytestmark = pytest.mark.django_db

REPORTS = "/api/reports/annual-reports/"
D = dt.date


def generate(client, year=2024, **extra):
    return client.post(REPORTS, {"year": year, **extra}, format="json")


def publish(client, report_id, **extra):
    return client.post(f"{REPORTS}{report_id}/publish/", extra, format="json")


def reopen(client, year=2024, reason="更正一件申请的办结日期"):
    return client.post(
        "/api/reports/periods/reopen/", {"year": year, "reason": reason}, format="json"
    )


@pytest.fixture
def published_2024(api, agency_admin, handler):
    """2024 with a case answered in it, one carried out of it, and the year published."""
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    carried = log_case(handler, received=D(2024, 12, 20))
    carried = services.case_review(case=carried, actor=handler, on=D(2024, 12, 23))
    client = api(agency_admin)
    draft = generate(client).json()
    response = publish(client, draft["id"])
    assert response.status_code == 200, response.content
    return {"report": response.json(), "carried": carried}


def test_generate_and_publish_a_draft(api, agency_admin, handler):
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    client = api(agency_admin)

    response = generate(client, template="2019")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert (draft["status"], draft["agency"], draft["year"], draft["template"]) == (
        "draft", "FJRST", 2024, "2019"
    )  # fmt: skip
    assert draft["generated_by"] == "agencyadmin"
    assert values(draft["table"], "disclosed")["total"] == 1
    assert draft["checks_ok"] is True

    # Generating again replaces the draft instead of piling them up.
    assert generate(client, template="2019").json()["id"] == draft["id"]

    response = publish(client, draft["id"])
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["published_by"]) == ("published", "agencyadmin")
    assert body["table"]["rows"] == draft["table"]["rows"]
    event = PeriodEvent.objects.get()
    assert (event.year, event.action, event.report_id) == (2024, PeriodAction.PUBLISH, draft["id"])

    response = client.get(f"{REPORTS}{draft['id']}/export/", {"format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())


def test_only_agency_admins_generate_and_publish(api, handler, approver, agency_admin):
    assert generate(api(handler)).status_code == 403
    assert generate(api(approver)).status_code == 403
    draft = generate(api(agency_admin)).json()
    assert publish(api(handler), draft["id"]).status_code == 403
    assert api(handler).get(REPORTS).json()["count"] == 1  # but clerks may read them


def test_publishing_a_stale_draft_is_refused(api, agency_admin, handler):
    client = api(agency_admin)
    draft = generate(client).json()
    log_case(handler, received=D(2024, 6, 3))  # the cases change after the draft

    response = publish(client, draft["id"])

    assert response.status_code == 409
    assert response.json()["code"] == "report_stale"
    assert AnnualReport.objects.get().status == "draft"


def test_a_published_snapshot_never_changes(published_2024):
    report = AnnualReport.objects.get(pk=published_2024["report"]["id"])
    report.table = {"rows": []}
    with pytest.raises(TypeError):
        report.save()
    with pytest.raises(TypeError):
        report.delete()
    with pytest.raises(TypeError):
        PeriodEvent.objects.get().delete()


@pytest.mark.postgres
def test_the_database_refuses_to_touch_a_published_snapshot(published_2024):
    for sql in (
        "UPDATE reporting_annualreport SET checks_ok = false",
        "DELETE FROM reporting_annualreport",
        "UPDATE reporting_periodevent SET reason = 'x'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_published_year_refuses_changes_that_alter_its_table(api, handler, published_2024):
    client = api(handler)
    case = Case.objects.filter(state="answered").get()

    # Registering a request received in the published year.
    response = client.post(
        "/api/cases/",
        {
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "id_type": "passport",
            "id_number": "E12345678",
            "channel": "letter",
            "received_on": "2024-11-05",
            "description": "某文件",
        },
        format="json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "period_locked"
    assert "2024年" in response.json()["message"]

    # Changing the applicant type or the date of receipt of a counted case.
    for change in ({"applicant_type": "other_organization", "id_type": "other"},
                   {"received_on": "2023-12-29"}):  # fmt: skip
        response = client.patch(f"/api/cases/{case.pk}/", change, format="json")
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "period_locked"

    # Concluding the carried-over case back in 2024.
    carried = published_2024["carried"]
    response = act(client, carried.pk, "answer", outcome="disclosed", on="2024-12-30")
    assert response.status_code == 409
    assert Case.objects.get(pk=carried.pk).state == "reviewed"


def test_changes_that_leave_a_published_table_as_it_is_go_through(api, handler, published_2024):
    client = api(handler)
    carried = published_2024["carried"]

    # The 2024 table counted it as carried over; concluding it in 2025 keeps that true.
    response = act(client, carried.pk, "answer", outcome="disclosed", on="2025-01-10")
    assert response.status_code == 200, response.content

    # Data the table does not read may be corrected; new requests of later years are logged.
    case = Case.objects.filter(answered_on=D(2024, 3, 20)).get()
    response = client.patch(f"/api/cases/{case.pk}/", {"contact_phone": "13800000000"})
    assert response.status_code == 200
    # A date of receipt moved within the year leaves every cell where it was.
    response = client.patch(f"/api/cases/{case.pk}/", {"received_on": "2024-03-01"})
    assert response.status_code == 200, response.content
    assert register_case(actor=handler, received_on=D(2025, 2, 3)).reference


def test_reopening_is_for_agency_admins_is_recorded_and_unlocks(
    api, handler, agency_admin, published_2024
):
    carried = published_2024["carried"]
    assert reopen(api(handler)).status_code == 403
    response = reopen(api(agency_admin), reason=" ")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]

    response = reopen(api(agency_admin))
    assert response.status_code == 201
    assert (response.json()["action"], response.json()["actor"]) == ("reopen", "agencyadmin")
    assert reopen(api(agency_admin)).status_code == 409  # already open

    response = act(api(handler), carried.pk, "answer", outcome="disclosed", on="2024-12-30")
    assert response.status_code == 200, response.content

    # The published snapshot is untouched; publishing again makes a new one and locks again.
    first = AnnualReport.objects.get(pk=published_2024["report"]["id"])
    assert values(first.table, "carried_over_to_next_year")["total"] == 1
    draft = generate(api(agency_admin)).json()
    assert values(draft["table"], "carried_over_to_next_year")["total"] == 0
    assert publish(api(agency_admin), draft["id"]).status_code == 200
    history = api(handler).get("/api/reports/periods/", {"agency": "FJRST"}).json()
    assert [e["action"] for e in history] == ["publish", "reopen", "publish"]
    assert history[1]["reason"] == "更正一件申请的办结日期"


def test_carried_in_is_checked_against_the_published_previous_year(
    api, handler, agency_admin, published_2024
):
    # After reopening 2024 and concluding its carried-over case in 2024, the published 2024
    # table (carried out: 1) no longer matches what 2025 carries in (0): shown, not hidden.
    reopen(api(agency_admin))
    act(api(handler), published_2024["carried"].pk, "answer", outcome="disclosed", on="2024-12-30")

    body = api(handler).get("/api/reports/annual-table/", {"year": 2025}).json()

    check = next(c for c in body["checks"] if c["name"] == "carried_in_matches_previous_year")
    assert check["ok"] is False
    assert "自然人：上年结转0≠2024年结转下年度1" in check["detail"]
    assert "已发布的上年度报告" in check["detail"]

    client = api(agency_admin)
    draft = generate(client, year=2025).json()
    assert draft["checks_ok"] is False
    response = publish(client, draft["id"])
    assert response.status_code == 409
    assert response.json()["code"] == "checks_failed"
    assert publish(client, draft["id"], accept_failed_checks=True).status_code == 200


# An unfinished year: the times below are Asia/Shanghai (the settings' zone).
LAST_EVENING = timezone.make_aware(dt.datetime(2026, 12, 31, 23, 0))
NEW_YEAR = timezone.make_aware(dt.datetime(2027, 1, 1, 9, 0))
MID_YEAR = timezone.make_aware(dt.datetime(2026, 11, 25, 10, 0))


def test_an_unfinished_year_is_not_published_without_force(api, agency_admin, handler):
    # Late letters of 2026 may still come: publishing would lock them out.
    with mock.patch.object(timezone, "now", return_value=LAST_EVENING):
        log_case(handler, received=D(2026, 3, 4), concluded=D(2026, 3, 20))
        client = api(agency_admin)  # a token issued "now", as at a login that evening
        draft = generate(client, year=2026).json()
        refused = publish(client, draft["id"])
        assert refused.status_code == 400
        assert refused.json()["code"] == "year_not_ended"
        assert "2027-01-01" in refused.json()["message"]
        no_reason = publish(client, draft["id"], force=True, reason="  ")
        assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
        assert not PeriodEvent.objects.filter(year=2026).exists()
        assert AnnualReport.objects.get(pk=draft["id"]).status == "draft"
        # The year is not locked: a late letter of 2026 is still registered.
        register_case(actor=handler, received_on=D(2026, 12, 30))
        draft = generate(client, year=2026).json()
    with mock.patch.object(timezone, "now", return_value=NEW_YEAR):
        published = publish(api(agency_admin), draft["id"])
    assert published.status_code == 200
    assert PeriodEvent.objects.get(year=2026).reason == ""  # an ordinary publication


def test_an_agency_admin_may_force_an_early_publication_with_a_reason(api, agency_admin, handler):
    with mock.patch.object(timezone, "now", return_value=MID_YEAR):
        log_case(handler, received=D(2026, 3, 4), concluded=D(2026, 3, 20))
        client = api(agency_admin)
        draft = generate(client, year=2026).json()
        reason = "上级要求提前报送本年度统计数据"
        response = publish(client, draft["id"], force=True, reason=reason)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "published"
        # Audited: the period log says who forced it, and why.
        [event] = client.get("/api/reports/periods/").json()
    assert (event["year"], event["action"], event["actor"]) == (2026, "publish", "agencyadmin")
    assert reason in event["reason"] and "提前发布" in event["reason"]


def test_force_changes_nothing_for_a_year_that_has_ended(api, agency_admin, handler):
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    client = api(agency_admin)
    draft = generate(client).json()
    response = publish(client, draft["id"], force=True, reason="无")
    assert response.status_code == 200
    assert PeriodEvent.objects.get(year=2024).reason == ""
