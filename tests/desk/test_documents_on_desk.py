"""The documents on the desk: a reply submitted for signature puts its case in the approver's
待我审批 tab, and the case page lists the case's documents. Through HTTP, logged in."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseEvent

from ..cases.helpers import act, case_in_state
from ..documents.helpers import step, the_document
from ..factories import UserFactory
from .test_queue import rows, tab_counts

pytestmark = pytest.mark.django_db


def test_a_reply_waiting_for_signature_is_in_the_approvers_tab(
    api, client_for, handler, approver, agency_admin
):
    settings = {"approval_required": {"reply": True}}
    assert (
        api(agency_admin)
        .put("/api/agencies/FJRST/document-settings/", settings, format="json")
        .status_code
        == 200
    )
    case = case_in_state("reviewed", actor=handler)
    worker = api(handler)
    assert act(worker, case.pk, "answer", on="2026-03-10", outcome="disclosed").status_code == 202
    before = client_for(approver).get("/desk/?tab=approval").content.decode()
    assert tab_counts(before)["approval"] == 0  # a draft waits for its drafter, not the head

    reply = the_document(worker, case.pk, "reply")
    assert step(worker, reply["id"], "submit", on="2026-03-10").status_code == 200

    html = client_for(approver).get("/desk/?tab=approval").content.decode()
    assert tab_counts(html)["approval"] == 1
    assert case.reference in rows(html)
    page = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "政府信息公开申请答复书" in page or reply["title"] in page
    assert "待审批" in page


def steps(html: str, kind: str) -> set[str]:
    """The steps offered on the case page for the document of this kind (its row only)."""
    start = html.index(f'data-document="{kind}"')
    row = html[start : html.index("</tr>", start)]
    return set(re.findall(r'data-step="(\w+)"', row))


def desk_step(client, document_id: int, name: str, **data):
    return client.post(f"/desk/documents/{document_id}/{name}/", data, HTTP_HX_REQUEST="true")


def test_a_reply_goes_from_draft_to_delivery_on_the_desk(
    api, client_for, handler, approver, agency_admin, fixed_today
):
    settings = {"approval_required": {"reply": True}}
    api(agency_admin).put("/api/agencies/FJRST/document-settings/", settings, format="json")
    case = case_in_state("reviewed", actor=handler)
    assert act(api(handler), case.pk, "answer", outcome="disclosed").status_code == 202
    reply = the_document(api(handler), case.pk, "reply")
    clerk, head = client_for(handler), client_for(approver)
    page = f"/desk/cases/{case.pk}/"

    # The drafter edits and submits; only the head of the office approves or returns.
    assert steps(clerk.get(page).content.decode(), "reply") == {"edit", "submit"}
    form = clerk.get(f"/desk/documents/{reply['id']}/edit/").content.decode()
    assert reply["body"].splitlines()[0] in form  # the draft's text, to edit
    edited = "现将您申请公开的2025年养老保险基金收支情况提供如下。"
    response = desk_step(clerk, reply["id"], "edit", body=edited)
    assert response.status_code == 200 and response["HX-Redirect"] == page
    assert desk_step(clerk, reply["id"], "submit", on="2026-03-25")["HX-Redirect"] == page
    assert steps(clerk.get(page).content.decode(), "reply") == set()
    assert steps(head.get(page).content.decode(), "reply") == {"approve", "return"}

    # A return without a comment is refused on the comment's field, the form kept.
    refused = desk_step(head, reply["id"], "return", on="2026-03-25", comment="")
    html = refused.content.decode()
    assert "HX-Redirect" not in refused and 'id="field-comment"' in html
    assert "field-error" in html.split('id="field-comment"')[1].split("</div>\n</div>")[0]
    assert 'value="2026-03-25"' in html
    desk_step(head, reply["id"], "return", on="2026-03-25", comment="请补充法律依据")
    html = clerk.get(page).content.decode()
    assert "退回意见：请补充法律依据" in html
    assert steps(html, "reply") == {"edit", "submit"}
    desk_step(clerk, reply["id"], "submit", on="2026-03-25")
    assert desk_step(head, reply["id"], "approve", on="2026-03-25")["HX-Redirect"] == page

    # Issued by the drafter: numbered, the answer takes effect with the issue date.
    assert steps(clerk.get(page).content.decode(), "reply") == {"issue"}
    assert desk_step(clerk, reply["id"], "issue", on="2026-03-25")["HX-Redirect"] == page
    case.refresh_from_db()
    assert case.state == "answered" and case.answered_on == dt.date(2026, 3, 25)
    issued = the_document(api(handler), case.pk, "reply")
    html = clerk.get(page).content.decode()
    assert issued["number"] and issued["number"] in html
    assert edited in html and steps(html, "reply") == {"deliver", "reissue"}

    # Sent by post, then the delivery date and the signed return receipt.
    sent = desk_step(
        clerk,
        reply["id"],
        "deliver",
        recipient=case.applicant_name,
        method="post",
        sent_on="2026-03-25",
        tracking_number="EMS1234567890",
    )
    assert sent.status_code == 200 and sent["HX-Redirect"] == page
    delivery = issued_delivery(api(handler), reply["id"])
    html = clerk.get(page).content.decode()
    assert "邮寄送达" in html and "EMS1234567890" in html and "尚未送达" in html
    recorded = clerk.post(
        f"/desk/deliveries/{delivery}/record/",
        {"delivered_on": "2026-03-25"},
        HTTP_HX_REQUEST="true",
    )
    assert recorded.status_code == 200 and recorded["HX-Redirect"] == page
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    proof = clerk.post(
        f"/desk/deliveries/{delivery}/proof/",
        {"file": SimpleUploadedFile("回执.png", png, content_type="image/png")},
        HTTP_HX_REQUEST="true",
    )
    assert proof.get("HX-Redirect") == page, proof.content.decode()
    html = clerk.get(page).content.decode()
    assert "2026-03-25送达" in html and "送达凭证1" in html
    # Every step is on the case's audit trail, by whom it was done.
    logged = list(
        CaseEvent.objects.filter(case=case, action__startswith="d")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert logged[-8:] == [
        ("document_submit", "handler"),
        ("document_return", "approver"),
        ("document_submit", "handler"),
        ("document_approve", "approver"),
        ("document_issue", "handler"),
        ("delivery_record", "handler"),
        ("delivery_update", "handler"),
        ("delivery_proof", "handler"),
    ]


def issued_delivery(client, document_id: int) -> int:
    deliveries = client.get(f"/api/documents/{document_id}/").json()["deliveries"]
    assert len(deliveries) == 1, deliveries
    return deliveries[0]["id"]


def test_a_step_not_offered_says_so_and_another_agencys_document_is_not_found(
    api, client_for, handler, approver, other_agency, agency_admin, fixed_today
):
    settings = {"approval_required": {"reply": True}}
    api(agency_admin).put("/api/agencies/FJRST/document-settings/", settings, format="json")
    case = case_in_state("reviewed", actor=handler)
    act(api(handler), case.pk, "answer", outcome="disclosed")
    reply = the_document(api(handler), case.pk, "reply")
    html = (
        client_for(handler)
        .get(f"/desk/documents/{reply['id']}/issue/", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "当前不能对该文书执行“签发”" in html and "<form" not in html
    # Typed anyway: the service refuses, saying why, and nothing is issued.
    refused = desk_step(client_for(handler), reply["id"], "issue", on="2026-03-25")
    assert "须经负责人审批，请先提交审批" in refused.content.decode()
    assert the_document(api(handler), case.pk, "reply")["status"] == "draft"

    stranger = UserFactory(agency=other_agency, role="handler")
    assert client_for(stranger).get(f"/desk/documents/{reply['id']}/edit/").status_code == 404
    assert desk_step(client_for(stranger), reply["id"], "submit").status_code == 404
    assert client_for(handler).get(f"/desk/documents/{reply['id']}/nonsense/").status_code == 404
