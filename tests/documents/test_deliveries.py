"""Delivery records (spec §5): dates, returns, proofs, and their refusals."""

import io

import pytest

from cases.models import CaseEvent
from documents.vocabulary import PROOF_MAX_BYTES

from ..factories import AgencyFactory, UserFactory
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def notice(api, handler):
    """An issued correction notice (2026-03-04)."""
    client = api(handler)
    case = case_in_state("registered", actor=handler)
    act(client, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    draft = the_document(client, case.pk, "correction_notice")
    return step(client, draft["id"], "issue", on="2026-03-04").json()


def deliver(client, document_id, **data):
    return client.post(f"/api/documents/{document_id}/deliveries/", data, format="json")


def proof(client, delivery_id, content: bytes, name="proof.pdf"):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(
        f"/api/deliveries/{delivery_id}/proof/", {"file": handle}, format="multipart"
    )


def test_only_an_issued_document_is_delivered(api, handler):
    client = api(handler)
    case = case_in_state("registered", actor=handler)
    act(client, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    draft = the_document(client, case.pk, "correction_notice")
    refused = deliver(client, draft["id"], recipient="张三", method="email", sent_on="2026-03-04")
    assert refused.status_code == 409


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "post"}, "tracking_number"),
        ({"method": "pigeon"}, "method"),
        ({"recipient": ""}, "recipient"),
        ({"sent_on": "2026-03-03"}, "sent_on"),  # before the issue
        ({"sent_on": "2099-03-03"}, "sent_on"),
        ({"delivered_on": "2026-03-04", "sent_on": "2026-03-05"}, "delivered_on"),
        ({"delivered_on": "2099-01-01"}, "delivered_on"),
        ({"sent_on": "not-a-date"}, "sent_on"),
    ],
)
def test_a_delivery_with_impossible_data_is_refused(api, handler, notice, data, field):
    body = {"recipient": "张三", "method": "in_person", "sent_on": "2026-03-05", **data}
    refused = deliver(api(handler), notice["id"], **body)
    assert refused.status_code == 400, refused.json()
    assert field in refused.json()["fields"]
    assert not CaseEvent.objects.filter(action="delivery_record").exists()


def test_a_returned_letter_is_sent_again_another_way(api, registrar, handler, notice):
    clerk = api(registrar)  # recording deliveries is clerical work: registrars may
    posted = deliver(
        clerk,
        notice["id"],
        recipient="张三",
        method="post",
        sent_on="2026-03-05",
        tracking_number="EMS9876543210",
    )
    assert posted.status_code == 201
    delivery = posted.json()
    assert delivery["method_label"] == "邮寄送达" and delivery["delivered_on"] is None

    url = f"/api/deliveries/{delivery['id']}/"
    both = clerk.patch(
        url, {"delivered_on": "2026-03-09", "returned_on": "2026-03-09"}, format="json"
    )
    assert both.status_code == 400
    early = clerk.patch(url, {"returned_on": "2026-03-04"}, format="json")
    assert early.status_code == 400 and "returned_on" in early.json()["fields"]
    unknown = clerk.patch(url, {"sent_on": "2026-03-06"}, format="json")
    assert unknown.status_code == 400 and "sent_on" in unknown.json()["fields"]
    returned = clerk.patch(
        url, {"returned_on": "2026-03-10", "note": "查无此人，原件退回"}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["returned_on"] == "2026-03-10"

    again = deliver(
        clerk,
        notice["id"],
        recipient="张三",
        method="in_person",
        sent_on="2026-03-11",
        delivered_on="2026-03-11",
    )
    assert again.status_code == 201
    document = clerk.get(f"/api/documents/{notice['id']}/").json()
    assert [d["method"] for d in document["deliveries"]] == ["post", "in_person"]
    assert document["delivered_on"] == "2026-03-11"
    trail = CaseEvent.objects.filter(action__startswith="delivery_").order_by("id")
    assert [e.action for e in trail] == ["delivery_record", "delivery_update", "delivery_record"]
    update = trail[1]
    assert update.data["changes"]["returned_on"]["to"] == "2026-03-10"
    assert update.from_state == update.to_state == "awaiting_correction"


def test_proofs_are_pdf_or_images_up_to_10_mb(api, handler, notice):
    client = api(handler)
    delivery = deliver(
        client,
        notice["id"],
        recipient="张三",
        method="in_person",
        sent_on="2026-03-05",
        delivered_on="2026-03-05",
    ).json()

    # The name says PDF, the content is not: refused.
    refused = proof(client, delivery["id"], b"GIF89a fake", name="receipt.pdf")
    assert refused.status_code == 400 and "file" in refused.json()["fields"]
    too_big = proof(client, delivery["id"], PDF + b"0" * (PROOF_MAX_BYTES + 1 - len(PDF)))
    assert too_big.status_code == 400 and "10MB" in too_big.json()["fields"]["file"]

    stored = proof(client, delivery["id"], PDF, name="签收回执.pdf")
    assert stored.status_code == 201, stored.json()
    scan = proof(client, delivery["id"], PNG, name="photo")
    assert scan.status_code == 201
    proofs = scan.json()["proofs"]
    assert [(p["content_type"], p["original_name"]) for p in proofs] == [
        ("application/pdf", "签收回执.pdf"),
        ("image/png", "photo"),
    ]
    download = client.get(proofs[0]["url"])
    assert download.status_code == 200
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert CaseEvent.objects.filter(action="delivery_proof").count() == 2

    other = AgencyFactory(code="FJJYT", name="福建省教育厅")
    stranger = api(UserFactory(agency=other, role="agency_admin"))
    assert stranger.get(proofs[0]["url"]).status_code == 404
    assert stranger.get(f"/api/deliveries/{delivery['id']}/").status_code == 404
    assert proof(stranger, delivery["id"], PDF).status_code == 404
    missing = client.get(f"/api/deliveries/{delivery['id']}/proof/99999/")
    assert missing.status_code == 404
