"""Every kind of document from the case action that drafts it to its delivery, through the API,
with the issued PDF read back by pdftotext."""

import pytest

from cases.models import CaseEvent

from .conftest import pdf_text
from .helpers import act, issue_through_approval, step, the_document

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "applicant_type": "natural_person",
    "applicant_name": "林小明",
    "id_type": "passport",
    "id_number": "E12345678",
    "channel": "letter",
    "received_on": "2026-03-02",
    "description": "2025年度全省技能人才培训补贴发放情况",
    "delivery_form": "electronic",
}
PREFIXES = {
    "receipt": "闽人社公开登",
    "correction_notice": "闽人社公开补",
    "consultation_letter": "闽人社公开征",
    "fee_notice": "闽人社公开费",
    "extension_notice": "闽人社公开延",
    "reply": "闽人社公开复",
    "termination_notice": "闽人社公开终",
}


@pytest.fixture
def office(api, agency_admin):
    settings = {
        "issue_receipts": True,
        "prefixes": PREFIXES,
        "review_body": "福建省人民政府",
        "court": "福州市中级人民法院",
        "contact": "福州市鼓楼区中山路1号，0591-87000000",
    }
    response = api(agency_admin).put(
        "/api/agencies/FJRST/document-settings/", settings, format="json"
    )
    assert response.status_code == 200, response.json()


def _issued_pdf(client, document: dict) -> str:
    document = client.get(f"/api/documents/{document['id']}/").json()  # the PDF came after
    assert document["status"] == "issued"
    assert document["files"]["pdf"], document
    response = client.get(f"/api/documents/{document['id']}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def _deliver(client, document_id: int, **data) -> dict:
    response = client.post(f"/api/documents/{document_id}/deliveries/", data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_receipt_correction_and_termination(api, office, registrar, handler, pdf_worker):
    clerk, worker = api(registrar), api(handler)
    case = clerk.post("/api/cases/", NEW_CASE, format="json").json()

    receipt = the_document(clerk, case["id"], "receipt")
    assert receipt["status"] == "draft" and receipt["number"] is None
    assert receipt["addressee"] == "林小明"
    assert "2026年3月2日" in receipt["body"] and case["reference"] in receipt["body"]
    # Registrars issue receipts; no approval is needed for them by default.
    issued = pdf_worker(lambda: step(clerk, receipt["id"], "issue", on="2026-03-02"))
    assert issued.status_code == 200, issued.json()
    receipt = issued.json()
    assert receipt["number"] == "闽人社公开登〔2026〕1号"
    text = _issued_pdf(clerk, receipt)
    for expected in (
        "政府信息公开申请登记回执",
        "闽人社公开登〔2026〕1号",
        "林小明",
        "2026年3月2日",
        "第三十一条",
        "福建省人力资源和社会保障厅",
        "（印章）",
        "0591-87000000",
    ):
        assert expected in text, expected
    _deliver(
        clerk,
        receipt["id"],
        recipient="林小明",
        method="in_person",
        sent_on="2026-03-02",
        delivered_on="2026-03-02",
    )

    act(
        worker,
        case["id"],
        "request-correction",
        on="2026-03-03",
        period_days=10,
        items="请注明所需信息的文号\n请说明所需信息的年度",
    )
    notice = the_document(worker, case["id"], "correction_notice")
    assert "1．请注明所需信息的文号" in notice["body"] and "10个工作日" in notice["body"]
    notice = pdf_worker(lambda: step(worker, notice["id"], "issue", on="2026-03-03")).json()
    assert notice["number"] == "闽人社公开补〔2026〕1号"
    text = _issued_pdf(worker, notice)
    for expected in (
        "政府信息公开申请补正告知书",
        "闽人社公开补〔2026〕1号",
        "林小明",
        "2026年3月3日",
        "第三十条",
        "请注明所需信息的文号",
        "视为放弃申请",
    ):
        assert expected in text, expected
    delivery = _deliver(
        worker,
        notice["id"],
        recipient="林小明",
        method="post",
        sent_on="2026-03-03",
        tracking_number="EMS1234567890",
    )
    assert delivery["delivered_on"] is None
    signed = worker.patch(
        f"/api/deliveries/{delivery['id']}/",
        {"delivered_on": "2026-03-05", "note": "本人签收"},
        format="json",
    )
    assert signed.status_code == 200 and signed.json()["delivered_on"] == "2026-03-05"

    # The period runs from the delivery: 10 working days from 03-05 end on 03-19, so a lapse
    # on 03-18 is refused and one on 03-20 is recorded.
    early = act(worker, case["id"], "lapse", on="2026-03-18")
    assert early.status_code == 409 and "自2026-03-20起" in early.json()["message"]
    lapsed = act(worker, case["id"], "lapse", on="2026-03-20")
    assert lapsed.status_code == 200, lapsed.json()
    termination = the_document(worker, case["id"], "termination_notice")
    assert "闽人社公开补〔2026〕1号" in termination["body"]
    assert "2026年3月5日送达" in termination["body"]
    termination = pdf_worker(
        lambda: step(worker, termination["id"], "issue", on="2026-03-20")
    ).json()
    text = _issued_pdf(worker, termination)
    for expected in (
        "政府信息公开申请终止办理告知书",
        "闽人社公开终〔2026〕1号",
        "林小明",
        "2026年3月20日",
        "第三十条",
        "视为您放弃申请",
    ):
        assert expected in text, expected
    emailed = _deliver(
        worker, termination["id"], recipient="林小明", method="email", sent_on="2026-03-20"
    )
    assert emailed["delivered_on"] == "2026-03-20"  # e-mail: delivered when sent (spec §5.2)

    trail = list(CaseEvent.objects.filter(case_id=case["id"]).values_list("action", flat=True))
    assert trail.count("document_issue") == 3
    assert trail.count("delivery_record") == 3 and trail.count("delivery_update") == 1


def test_consultation_fee_extension_and_reply(api, office, handler, approver, pdf_worker):
    worker, head = api(handler), api(approver)
    case = worker.post("/api/cases/", NEW_CASE, format="json").json()
    act(worker, case["id"], "review", on="2026-03-03")

    act(worker, case["id"], "consult", on="2026-03-03", party="福州某人力资源服务有限公司")
    letter = the_document(worker, case["id"], "consultation_letter")
    assert letter["addressee"] == "福州某人力资源服务有限公司"
    letter = pdf_worker(lambda: step(worker, letter["id"], "issue", on="2026-03-03")).json()
    text = _issued_pdf(worker, letter)
    for expected in (
        "政府信息公开征求意见书",
        "闽人社公开征〔2026〕1号",
        "福州某人力资源服务有限公司",
        "第三十二条",
        "15个工作日",
        "2026年3月3日",
    ):
        assert expected in text, expected
    _deliver(
        worker,
        letter["id"],
        recipient="福州某人力资源服务有限公司",
        method="fax",
        sent_on="2026-03-03",
        delivered_on="2026-03-03",
    )
    act(worker, case["id"], "receive-opinion", on="2026-03-05", opinion="不同意公开")

    # 720 元 per page: 70 pages at 10 元 and one at 20 元, so 101 pages.
    act(worker, case["id"], "issue-fee-notice", on="2026-03-06", basis="per_page", amount="720")
    fee = the_document(worker, case["id"], "fee_notice")
    assert "101页" in fee["body"] and "31—100页共70页×10元＋101—101页共1页×20元" in fee["body"]
    fee = pdf_worker(lambda: step(worker, fee["id"], "issue", on="2026-03-06")).json()
    text = _issued_pdf(worker, fee)
    for expected in (
        "信息处理费收费通知书",
        "闽人社公开费〔2026〕1号",
        "林小明",
        "720",
        "20个工作日",
        "国办函〔2020〕109号",
        "2026年3月6日",
    ):
        assert expected in text, expected
    _deliver(worker, fee["id"], recipient="林小明", method="online", sent_on="2026-03-06")
    act(worker, case["id"], "receive-payment", on="2026-03-09")

    extended = act(
        head, case["id"], "extend", on="2026-03-10", working_days=10, reason="需调取历史档案"
    )
    assert extended.status_code == 202  # held until the notice is issued
    extension = the_document(worker, case["id"], "extension_notice")
    # Approval is needed by default: the drafter submits, the head of office approves.
    extension = issue_through_approval(worker, head, extension["id"], "2026-03-10", pdf_worker)
    text = _issued_pdf(worker, extension)
    for expected in (
        "政府信息公开申请延期答复告知书",
        "闽人社公开延〔2026〕1号",
        "第三十三条第二款",
        "延长10个工作日",
        "需调取历史档案",
        "2026年3月10日",
    ):
        assert expected in text, expected
    _deliver(worker, extension["id"], recipient="林小明", method="email", sent_on="2026-03-10")

    answered = act(
        worker,
        case["id"],
        "answer",
        on="2026-03-12",
        outcome="partially_disclosed",
        reply="2025年度补贴发放总额",
        reason="涉及个人隐私的受领人名单不予公开",
        delivery="electronic",
    )
    assert answered.status_code == 202, answered.json()  # held until the reply is issued
    reply = the_document(worker, case["id"], "reply")
    assert "涉及个人隐私的受领人名单不予公开" in reply["body"]
    assert "第三十七条" in reply["legal_basis"]
    reply = issue_through_approval(worker, head, reply["id"], "2026-03-12", pdf_worker)
    text = _issued_pdf(worker, reply)
    # Since 2024 a reply withholding information sends the applicant to reconsideration first.
    for expected in (
        "政府信息公开申请答复书",
        "闽人社公开复〔2026〕1号",
        "林小明",
        "2026年3月2日",
        "2026年3月12日",
        "第三十七条",
        "60日内向福建省人民政府申请行政复议",
        "对行政复议决定不服的，可以依法提起行政诉讼",
        "电子数据",
    ):
        assert expected in text, expected
    assert "6个月内" not in text
    delivered = _deliver(
        worker,
        reply["id"],
        recipient="林小明",
        method="in_person",
        sent_on="2026-03-12",
        delivered_on="2026-03-13",
    )
    listed = the_document(worker, case["id"], "reply")
    assert listed["deliveries"][0]["id"] == delivered["id"]
    assert listed["delivered_on"] == "2026-03-13"
