"""An agency's document settings, its reason library and the reply's remedies clause."""

import datetime as dt
import io

import pytest
from docx import Document as Docx

from cases.vocabulary import OUTCOME_CHOICES

from ..factories import AgencyFactory, UserFactory, register_case
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db

URL = "/api/agencies/FJRST/document-settings/"


def test_every_staff_member_reads_the_defaults(api, registrar):
    body = api(registrar).get(URL).json()
    assert body["agency"] == "FJRST"
    assert body["number_format"] == "{prefix}〔{year}〕{seq}号"
    assert body["issue_receipts"] is False and body["allow_self_approval"] is False
    assert body["approval_required"] == {
        "receipt": False,
        "correction_notice": False,
        "consultation_letter": False,
        "fee_notice": False,
        "extension_notice": True,
        "reply": True,
        "termination_notice": False,
    }
    assert set(body["reasons"]) == {key for key, _ in OUTCOME_CHOICES}
    assert "{legal_basis}" in body["reasons"]["disclosed"]
    assert body["review_body"] and body["court"]


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"prefixes": {"memo": "闽人社"}}, "prefixes", "memo"),
        ({"prefixes": {"reply": "闽{人社"}}, "prefixes", "花括号"),
        ({"approval_required": {"leaflet": True}}, "approval_required", "leaflet"),
        ({"reasons": {"disclosed": "予以公开。{applicant_phone}"}}, "reasons", "applicant_phone"),
        ({"reasons": {"no_such_outcome": "x"}}, "reasons", "no_such_outcome"),
        ({"issue_receipts": "perhaps"}, "issue_receipts", ""),
    ],
)
def test_bad_settings_are_refused_naming_the_field(api, agency_admin, change, field, expected):
    refused = api(agency_admin).put(URL, change, format="json")
    assert refused.status_code == 400
    assert expected in str(refused.json()["fields"][field])


def test_only_the_agency_admin_changes_settings(api, handler, agency_admin, platform_admin):
    assert api(handler).put(URL, {"issue_receipts": True}, format="json").status_code == 403
    other = AgencyFactory(code="FJJYT", name="福建省教育厅")
    stranger = api(UserFactory(agency=other, role="agency_admin"))
    assert stranger.get(URL).status_code == 404
    assert stranger.put(URL, {"issue_receipts": True}, format="json").status_code == 404
    by_platform = api(platform_admin).put(URL, {"issue_receipts": True}, format="json")
    assert by_platform.status_code == 200 and by_platform.json()["issue_receipts"] is True


def test_receipts_only_when_the_agency_issues_them(api, registrar, agency_admin):
    first = register_case(actor=registrar)
    assert api(registrar).get(f"/api/cases/{first.pk}/documents/").json() == []
    api(agency_admin).put(URL, {"issue_receipts": True}, format="json")
    second = register_case(actor=registrar)
    receipt = the_document(api(registrar), second.pk, "receipt")
    assert receipt["title"] == "政府信息公开申请登记回执"


def test_the_reply_uses_the_agencys_own_paragraph(api, handler, agency_admin):
    admin, worker = api(agency_admin), api(handler)
    own = "经查，本机关未保存您所需的信息（{request}）。依据{legal_basis}告知。{reason}"
    admin.put(URL, {"reasons": {"unavailable_not_held": own}}, format="json")
    case = case_in_state("reviewed", actor=handler)
    act(
        worker,
        case.pk,
        "answer",
        on="2026-03-10",
        outcome="unavailable_not_held",
        reason="档案已于2010年移交省档案馆。",
    )
    reply = the_document(worker, case.pk, "reply")
    assert (
        "经查，本机关未保存您所需的信息（2025年本市城镇职工基本养老保险基金收支情况）"
        in reply["body"]
    )
    assert "第三十六条第（四）项告知。档案已于2010年移交省档案馆。" in reply["body"]

    reset = admin.put(URL, {"reasons": {"unavailable_not_held": ""}}, format="json")
    assert reset.json()["reasons"]["unavailable_not_held"].startswith("经检索查找")


def _issued_text(client, document_id: int) -> str:
    content = client.get(f"/api/documents/{document_id}/docx/").content
    return "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)


@pytest.mark.parametrize(
    ("received_on", "outcome", "reconsideration_first"),
    [
        ("2026-03-02", "disclosed", False),
        ("2026-03-02", "withheld_state_secret", True),
        ("2026-03-02", "partially_disclosed", True),
        # Before 2024-01-01 the applicant could always sue directly.
        ("2023-06-01", "withheld_state_secret", False),
    ],
)
def test_the_remedies_clause_follows_the_outcome_and_the_date(
    api, handler, approver, agency_admin, received_on, outcome, reconsideration_first
):
    api(agency_admin).put(
        URL, {"review_body": "福建省人民政府", "court": "福州市中级人民法院"}, format="json"
    )
    worker, head = api(handler), api(approver)
    case = register_case(actor=handler, received_on=dt.date.fromisoformat(received_on))
    day = (dt.date.fromisoformat(received_on) + dt.timedelta(days=3)).isoformat()
    act(worker, case.pk, "review", on=day)
    answered = act(
        worker, case.pk, "answer", on=day, outcome=outcome, reason="涉及国家秘密", reply="附件一"
    )
    assert answered.status_code == 202, answered.json()  # the reply needs approval
    reply = the_document(worker, case.pk, "reply")
    for name in ("submit", "approve", "issue"):
        assert (
            step(head if name == "approve" else worker, reply["id"], name, on=day).status_code
            == 200
        )
    text = _issued_text(worker, reply["id"])
    assert "自收到本答复之日起60日内向福建省人民政府申请行政复议" in text
    if reconsideration_first:
        assert "对行政复议决定不服的，可以依法提起行政诉讼" in text
        assert "6个月" not in text
    else:
        assert "自收到本答复之日起6个月内向福州市中级人民法院提起行政诉讼" in text
