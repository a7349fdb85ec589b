"""The applicant as a person across requests: linked at registration by identity document,
kept current and audited, listed and searched, shown with their history, merged by an agency
admin; identity numbers masked in lists, exports and mails."""

import csv
import io

import pytest

from cases import services
from cases.models import Applicant, ApplicantEvent, Case

from ..factories import UserFactory, register_case
from .helpers import case_in_state

pytestmark = pytest.mark.django_db

PASSPORT = "E12345678"
NEW_CASE = {
    "applicant_type": "natural_person",
    "applicant_name": "李四",
    "id_type": "passport",
    "id_number": PASSPORT,
    "channel": "online",
    "received_on": "2026-03-02",
    "description": "2025年本市最低工资标准调整情况",
}


def register(api, user, **fields):
    response = api(user).post("/api/cases/", {**NEW_CASE, **fields}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_known_identity_links_the_same_applicant(api, registrar):
    first = register(api, registrar)
    # The same passport typed in lower case with a space: the same person.
    second = register(api, registrar, id_number="e1234 5678", received_on="2026-03-05")
    assert first["applicant"] == second["applicant"] is not None
    assert Applicant.objects.count() == 1
    assert Applicant.objects.get().id_number == PASSPORT


def test_the_same_identity_at_another_agency_is_another_applicant(api, registrar, other_agency):
    outsider = UserFactory(agency=other_agency, role="registrar")
    mine, theirs = register(api, registrar), register(api, outsider)
    assert mine["applicant"] != theirs["applicant"]


def test_new_details_update_the_applicant_and_are_audited(api, registrar, agency_admin):
    first = register(api, registrar, contact_phone="0591-1111111")
    register(api, registrar, applicant_name="李四（更名）", contact_address="福州市鼓楼区")
    body = api(agency_admin).get(f"/api/applicants/{first['applicant']}/").json()
    assert body["name"] == "李四（更名）"
    assert body["contact_phone"] == "0591-1111111"  # a blank on the request erases nothing
    assert body["contact_address"] == "福州市鼓楼区"
    update = next(event for event in body["events"] if event["action"] == "update")
    assert update["data"]["name"] == {"from": "李四", "to": "李四（更名）"}
    assert update["actor"] == "registrar"
    assert [e["action"] for e in body["events"]] == ["create", "update"]


def test_the_applicant_page_shows_cases_and_monthly_counts(
    api, registrar, django_assert_max_num_queries
):
    for day in ("2026-01-05", "2026-01-20", "2026-03-02", "2026-03-03", "2026-03-04"):
        case = register(api, registrar, received_on=day)
    applicant_id = case["applicant"]
    client = api(registrar)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/applicants/{applicant_id}/")
    body = response.json()
    assert body["id_number"] == PASSPORT  # the agency's own user, on the applicant's page
    assert body["monthly_counts"] == [
        {"month": "2026-03", "count": 3},
        {"month": "2026-01", "count": 2},
    ]
    assert [c["received_on"] for c in body["cases"]][:2] == ["2026-03-04", "2026-03-03"]
    assert body["case_count"] == 5


def test_monthly_counts_cost_one_query_however_many_months(
    api, registrar, django_assert_num_queries
):
    from cases import applicant_selectors

    for month in range(1, 10):
        register(api, registrar, received_on=f"2026-{month:02d}-02")
    applicant = Applicant.objects.get()
    with django_assert_num_queries(1):
        counts = applicant_selectors.applicant_monthly_counts(applicant=applicant)
    assert len(counts) == 9


def test_search_by_name_and_by_identity_number(api, registrar, other_agency):
    register(api, registrar)
    register(api, registrar, applicant_name="赵六", id_number="G7654321")
    UserFactory(agency=other_agency)  # nothing of theirs shows
    client = api(registrar)

    by_name = client.get("/api/applicants/", {"search": "李"}).json()["results"]
    by_number = client.get("/api/applicants/", {"search": "g765 4321"}).json()["results"]

    assert [row["name"] for row in by_name] == ["李四"]
    assert [row["name"] for row in by_number] == ["赵六"]
    assert by_name[0]["id_number"] == "E12**5678"  # masked in the list
    assert by_name[0]["case_count"] == 1


def test_applicants_of_another_agency_are_not_found(api, registrar, other_agency):
    outsider = UserFactory(agency=other_agency, role="registrar")
    theirs = register(api, outsider)
    assert api(registrar).get(f"/api/applicants/{theirs['applicant']}/").status_code == 404
    assert api(registrar).get("/api/applicants/").json()["count"] == 0


def test_platform_admin_sees_the_number_masked(api, registrar, platform_admin):
    case = register(api, registrar, contact_phone="13800000000")
    body = api(platform_admin).get(f"/api/applicants/{case['applicant']}/").json()
    assert body["id_number"] == "E12**5678"
    assert body["contact_phone"] == ""
    assert api(platform_admin).get(f"/api/cases/{case['id']}/").json()["id_number"] == "E12**5678"


# Merging


@pytest.fixture
def duplicates(api, registrar):
    right = register(api, registrar)
    typo = register(api, registrar, id_number="E12345687", received_on="2026-03-03")
    return right["applicant"], typo["applicant"], typo["id"]


def merge(api, user, target, **body):
    return api(user).post(f"/api/applicants/{target}/merge/", body, format="json")


def test_an_agency_admin_merges_two_records_of_one_person(api, agency_admin, duplicates):
    right, typo, typo_case = duplicates
    response = merge(api, agency_admin, right, duplicate=typo, reason="护照号码录入错误")
    assert response.status_code == 200, response.json()
    assert response.json()["case_count"] == 2
    assert Case.objects.get(pk=typo_case).applicant_id == right
    assert Applicant.objects.get(pk=typo).merged_into_id == right
    # Merged records leave the list; their trail says where they went.
    listed = api(agency_admin).get("/api/applicants/").json()["results"]
    assert [row["id"] for row in listed] == [right]
    merge_event = ApplicantEvent.objects.get(applicant_id=right, action="merge")
    assert (merge_event.actor, merge_event.note) == (agency_admin, "护照号码录入错误")
    assert merge_event.data["duplicate_id_number"] == "E12**5687"
    assert ApplicantEvent.objects.get(applicant_id=typo, action="merged").data["into"] == right


def test_a_later_request_with_the_typo_joins_the_merged_applicant(
    api, registrar, agency_admin, duplicates
):
    right, typo, _ = duplicates
    merge(api, agency_admin, right, duplicate=typo, reason="录入错误")
    again = register(api, registrar, id_number="E12345687", received_on="2026-03-09")
    assert again["applicant"] == right


def test_only_an_agency_admin_merges(api, handler, duplicates):
    right, typo, typo_case = duplicates
    response = merge(api, handler, right, duplicate=typo, reason="录入错误")
    assert response.status_code == 403
    assert Case.objects.get(pk=typo_case).applicant_id == typo
    assert not ApplicantEvent.objects.filter(action="merge").exists()


def test_merging_across_agencies_is_refused(api, platform_admin, agency_admin, other_agency):
    mine = register_case(actor=agency_admin, id_number="11010519491231002X").applicant_id
    outsider = UserFactory(agency=other_agency, role="agency_admin")
    theirs = register_case(actor=outsider, id_number="11010519491231002X").applicant_id

    by_platform = merge(api, platform_admin, mine, duplicate=theirs, reason="同一人")
    by_agency = merge(api, agency_admin, mine, duplicate=theirs, reason="同一人")

    assert by_platform.status_code == 400
    assert "跨机关" in by_platform.json()["fields"]["duplicate"]
    assert by_agency.status_code == 400  # their record is not even named as existing
    assert "duplicate" in by_agency.json()["fields"]
    assert Applicant.objects.filter(merged_into__isnull=False).count() == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reason": "x"}, "duplicate"),
        ({"duplicate": 0, "reason": "x"}, "duplicate"),
        ({}, "reason"),
    ],
)
def test_bad_merge_input(api, agency_admin, duplicates, body, field):
    right, *_ = duplicates
    response = merge(api, agency_admin, right, **body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_merging_a_record_into_itself_is_refused(api, agency_admin, duplicates):
    right, *_ = duplicates
    assert merge(api, agency_admin, right, duplicate=right, reason="x").status_code == 400


# Masking in lists, exports and mails


def test_case_list_masks_and_case_page_shows_the_number(api, registrar):
    case = register(api, registrar, id_type="resident_id", id_number="11010519491231002X")
    listed = api(registrar).get("/api/cases/").json()["results"]
    assert listed[0]["id_number"] == "110***********002X"
    assert api(registrar).get(f"/api/cases/{case['id']}/").json()["id_number"] == (
        "11010519491231002X"
    )


def test_the_export_masks_identity_numbers(api, registrar):
    register(api, registrar, id_type="resident_id", id_number="11010519491231002X")
    response = api(registrar).get("/api/applicants/export-csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["机关", "申请人", "申请人类型", "证件类型", "证件号码"]
    assert rows[1][4] == "110***********002X"
    assert "11010519491231002X" not in text


def test_the_reminder_mail_masks_identity_numbers(handler, smtp):
    import datetime as dt

    from django.core.management import call_command

    from ..smtp import text_of

    handler.email = "handler@rst.fj.example.cn"
    handler.save()
    case = register_case(
        actor=handler, id_number="11010519491231002X", received_on=dt.date(2024, 2, 1)
    )
    services.case_review(case=case, actor=handler, on=dt.date(2024, 2, 1))
    call_command("send_deadline_reminders", "--today", "2024-03-20", stdout=io.StringIO())

    assert smtp.messages, "a digest was sent"
    body = "\n".join(text_of(message) for _rcpt, message in smtp.messages)
    assert "110***********002X" in body
    assert "11010519491231002X" not in body


def test_an_applicant_history_survives_for_cases_in_every_state(handler):
    case = case_in_state("answered", actor=handler)
    assert case.applicant is not None
    assert case.applicant.cases.count() == 1
