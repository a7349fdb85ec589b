"""Appeals (行政复议, 行政诉讼) through the API: recorded on a case, decided, their document, and
section 四 counted at year boundaries; the period lock keeps a published year's section 四."""

import datetime as dt

import pytest

from reporting.models import AppealEvent

from ..factories import UserFactory
from .histories import log_case

pytestmark = pytest.mark.django_db

APPEALS = "/api/appeals/"
TABLES = "/api/reports/report-tables/"
D = dt.date
PDF = b"%PDF-1.4\n% a decision\n%%EOF\n"


def file_appeal(client, **fields):
    body = {"kind": "review", "filed_on": "2024-05-06", "body": "福建省人民政府", **fields}
    return client.post(APPEALS, body, format="json")


def section_four(client, year, agency=None):
    query = {"year": year, **({"agency": agency} if agency else {})}
    response = client.get(TABLES, query)
    assert response.status_code == 200, response.content
    return {row["key"]: row["values"] for row in response.json()["review_litigation"]["rows"]}


def test_an_appeal_is_recorded_on_its_case_decided_and_its_document_kept(
    api, handler, registrar, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    client = api(handler)

    response = file_appeal(client, case=case.pk, number="闽政复〔2024〕12号")
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert (appeal["agency"], appeal["case_reference"], appeal["kind_label"]) == (
        "FJRST", case.reference, "行政复议"
    )  # fmt: skip
    assert (appeal["result"], appeal["decided_on"], appeal["decision_document"]) == ("", None, None)

    # On the case page (the case's representation), with no query per case in a list.
    shown = api(registrar).get(f"/api/cases/{case.pk}/").json()["appeals"]
    assert [(a["id"], a["number"], a["result"]) for a in shown] == [
        (appeal["id"], "闽政复〔2024〕12号", "")
    ]

    # No document before the decision; then the decision, then its document.
    url = f"{APPEALS}{appeal['id']}/decision-document/"
    early = client.post(url, {"file": _upload("decision.pdf", PDF)}, format="multipart")
    assert early.status_code == 409
    decided = client.patch(
        f"{APPEALS}{appeal['id']}/",
        {"result": "maintained", "decided_on": "2024-07-01", "version": appeal["version"]},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["result_label"] == "结果维持"
    stale = client.patch(
        f"{APPEALS}{appeal['id']}/", {"note": "x", "version": appeal["version"]}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_change"

    uploaded = client.post(url, {"file": _upload("复议决定书.pdf", PDF)}, format="multipart")
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["decision_document"]["name"] == "复议决定书.pdf"
    download = api(registrar).get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF

    fake = client.post(url, {"file": _upload("x.pdf", b"MZ not a pdf")}, format="multipart")
    assert fake.status_code == 400 and "file" in fake.json()["fields"]
    exe = client.post(url, {"file": _upload("x.exe", PDF)}, format="multipart")
    assert exe.status_code == 400

    actions = list(
        AppealEvent.objects.filter(appeal_id=appeal["id"]).values_list("action", flat=True)
    )
    assert actions == ["create", "update", "decision_document"]


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_who_may_record_and_what_is_refused(api, handler, registrar, other_agency):
    case = log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    assert file_appeal(api(registrar), case=case.pk).status_code == 403
    foreign_admin = UserFactory(agency=other_agency, role="agency_admin")
    foreign = log_case(foreign_admin, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    client = api(handler)

    def refused(field, **fields):
        response = file_appeal(client, **fields)
        assert response.status_code == 400, response.content
        assert field in response.json()["fields"], response.json()

    refused("case", case=foreign.pk)
    refused("result", decided_on="2024-06-01")
    refused("decided_on", result="maintained")
    refused("decided_on", result="other", decided_on="2024-05-01")  # before filing
    refused("filed_on", filed_on="2099-01-01")
    refused("filed_on", case=case.pk, filed_on="2024-03-01")  # before the request
    refused("review", kind="litigation_after_review")
    refused("orders_new_reply", result="maintained", decided_on="2024-06-01", orders_new_reply=True)
    review = file_appeal(client, case=case.pk).json()
    refused("review", kind="litigation_direct", review=review["id"])
    # Another agency's appeal cannot be read, nor changed.
    assert api(foreign_admin).get(f"{APPEALS}{review['id']}/").status_code == 404
    assert api(foreign_admin).get(APPEALS).json()["count"] == 0

    lawsuit = file_appeal(
        client, kind="litigation_after_review", review=review["id"], body="福州市中级人民法院",
        filed_on="2024-09-02",
    )  # fmt: skip
    assert lawsuit.status_code == 201, lawsuit.content
    assert lawsuit.json()["case"] == case.pk  # the review's case
    assert client.get(APPEALS, {"kind": "review"}).json()["count"] == 1
    assert client.get(APPEALS, {"case": case.pk}).json()["count"] == 2


def test_a_corrected_result_ordering_a_new_reply_shows_on_the_case(api, handler):
    case = log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    client = api(handler)
    appeal = file_appeal(client, case=case.pk).json()
    response = client.patch(
        f"{APPEALS}{appeal['id']}/",
        {"result": "corrected", "decided_on": "2024-07-01", "orders_new_reply": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    # Nothing reopens: the case stays answered until the office logs the new reply as a case.
    assert client.get(f"/api/cases/{case.pk}/").json()["state"] == "answered"
    new = log_case(handler, received=D(2024, 7, 3))
    early = log_case(handler, received=D(2024, 6, 3))
    refused = client.patch(f"{APPEALS}{appeal['id']}/", {"new_case": early.pk}, format="json")
    assert refused.status_code == 400 and "new_case" in refused.json()["fields"]
    linked = client.patch(f"{APPEALS}{appeal['id']}/", {"new_case": new.pk}, format="json")
    assert linked.status_code == 200
    [shown] = client.get(f"/api/cases/{case.pk}/").json()["appeals"]
    assert (shown["result"], shown["orders_new_reply"], shown["new_case_reference"]) == (
        "corrected", True, new.reference
    )  # fmt: skip


def test_section_four_counts_by_decision_year_and_pending_at_year_end(api, handler, agency_admin):
    client = api(handler)
    # Filed in December, decided in January: pending in 2023, maintained in 2024.
    file_appeal(
        client, filed_on="2023-12-20", result="maintained", decided_on="2024-01-10"
    )  # fmt: skip
    # Pending over two year-ends: pending in 2022 and 2023, corrected in 2024.
    file_appeal(
        client, kind="litigation_direct", filed_on="2022-06-01", body="福州市鼓楼区人民法院",
        result="corrected", decided_on="2024-03-05",
    )  # fmt: skip
    # Filed on 31 December and undecided: pending in 2023 and every year after.
    review = file_appeal(client, filed_on="2023-12-31").json()
    file_appeal(
        client, kind="litigation_after_review", review=review["id"], filed_on="2024-02-01",
        body="福州市中级人民法院", result="other", decided_on="2024-05-01",
    )  # fmt: skip
    # Filed in January: nothing in the year before.
    file_appeal(client, filed_on="2024-01-02")

    zero = dict.fromkeys(["maintained", "corrected", "other", "pending", "total"], 0)
    reader = api(agency_admin)
    assert section_four(reader, 2021) == {
        "administrative_review": zero, "litigation_direct": zero,
        "litigation_after_review": zero,
    }  # fmt: skip
    assert section_four(reader, 2022)["litigation_direct"] == {**zero, "pending": 1, "total": 1}
    year_2023 = section_four(reader, 2023)
    assert year_2023["administrative_review"] == {**zero, "pending": 2, "total": 2}
    assert year_2023["litigation_direct"] == {**zero, "pending": 1, "total": 1}
    year_2024 = section_four(reader, 2024)
    assert year_2024["administrative_review"] == {
        **zero, "maintained": 1, "pending": 2, "total": 3
    }  # fmt: skip
    assert year_2024["litigation_direct"] == {**zero, "corrected": 1, "total": 1}
    assert year_2024["litigation_after_review"] == {**zero, "other": 1, "total": 1}


def test_a_published_year_keeps_its_section_four(api, handler, agency_admin):
    client = api(handler)
    appeal = file_appeal(client, filed_on="2024-11-04").json()
    admin = api(agency_admin)
    draft = admin.post("/api/reports/annual-reports/", {"year": 2024}, format="json").json()
    assert draft["report"]["review_litigation"]["rows"][0]["values"]["pending"] == 1
    assert admin.post(f"/api/reports/annual-reports/{draft['id']}/publish/").status_code == 200

    # Deciding it in 2024 would change the published 2024 report: refused.
    refused = client.patch(
        f"{APPEALS}{appeal['id']}/",
        {"result": "maintained", "decided_on": "2024-12-20"},
        format="json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "period_locked"
    assert file_appeal(client, filed_on="2024-06-03").json()["code"] == "period_locked"
    # Decided in 2025: 2024 still counts it as pending, so it goes through.
    decided = client.patch(
        f"{APPEALS}{appeal['id']}/",
        {"result": "maintained", "decided_on": "2025-01-15"},
        format="json",
    )
    assert decided.status_code == 200, decided.content


def test_the_roll_up_sums_every_agency_for_platform_admins(
    api, handler, other_agency, platform_admin
):
    file_appeal(api(handler), filed_on="2024-02-01", result="maintained", decided_on="2024-03-01")
    other = UserFactory(agency=other_agency, role="handler")
    file_appeal(api(other), filed_on="2024-02-01", result="maintained", decided_on="2024-04-01")

    assert section_four(api(platform_admin), 2024, agency="all")["administrative_review"][
        "maintained"
    ] == 2  # fmt: skip
    assert section_four(api(handler), 2024)["administrative_review"]["maintained"] == 1
    assert api(handler).get(TABLES, {"year": 2024, "agency": "all"}).status_code == 403


def test_the_clerks_screen_lists_the_agencys_appeals_read_only(client, api, handler, other_agency):
    mine = file_appeal(api(handler), number="闽政复〔2024〕1号").json()
    other = UserFactory(agency=other_agency, role="handler")
    file_appeal(api(other), number="闽政复〔2024〕2号")
    client.force_login(handler)

    listing = client.get("/admin/reporting/appeal/")
    assert listing.status_code == 200
    assert [appeal.pk for appeal in listing.context["cl"].result_list] == [mine["id"]]
    assert client.get(f"/admin/reporting/appeal/{mine['id']}/change/").status_code == 200
    assert client.get("/admin/reporting/appeal/add/").status_code == 403
