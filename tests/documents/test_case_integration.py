"""How documents drive the case: a reply or extension that needs approval takes effect only when
issued (202 until then), the applicant's periods run from the notice's delivery, and the case
names its documents. Through the API; 2026 dates (received Mon 2 Mar, reviewed 3 Mar)."""

import io

import pytest
from django.core.management import call_command

from cases.models import CaseEvent

from ..cases.test_reminder_digest import OFFICE
from ..smtp import text_of
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db


def deadline(client, case_id) -> dict:
    return client.get(f"/api/cases/{case_id}/deadline/").json()


def deliver(client, document_id, **data):
    return client.post(f"/api/documents/{document_id}/deliveries/", data, format="json")


def test_a_reply_needing_approval_takes_effect_on_the_day_it_is_issued(api, handler, approver):
    worker, head = api(handler), api(approver)
    case = case_in_state("reviewed", actor=handler)

    held = act(worker, case.pk, "answer", on="2026-03-10", outcome="disclosed", reply="见附件")

    assert held.status_code == 202
    body = held.json()
    assert body["state"] == "reviewed" and body["answered_on"] is None
    assert body["pending_action"] == "answer"
    reply = the_document(worker, case.pk, "reply")
    assert body["pending_document"] == {"id": reply["id"], "kind": "reply"}
    assert {"id": reply["id"], "kind": "reply", "status": "draft", "number": None} in body[
        "documents"
    ]

    assert step(worker, reply["id"], "submit", on="2026-03-10").status_code == 200
    assert step(head, reply["id"], "approve", on="2026-03-11").status_code == 200
    issued = step(worker, reply["id"], "issue", on="2026-03-12")
    assert issued.status_code == 200, issued.json()

    answered = worker.get(f"/api/cases/{case.pk}/").json()
    assert answered["state"] == "answered"
    assert answered["answered_on"] == "2026-03-12"  # the day of issue, not of the proposal
    assert answered["outcome"] == "disclosed" and answered["reply"] == "见附件"
    assert answered["pending_document"] is None
    trail = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert trail.index("answer_proposed") < trail.index("document_issue") < trail.index("answer")


def test_an_agency_that_signs_outside_the_system_answers_directly(api, handler, agency_admin):
    settings = {"approval_required": {"reply": False}}
    put = api(agency_admin).put("/api/agencies/FJRST/document-settings/", settings, format="json")
    assert put.status_code == 200, put.json()
    case = case_in_state("reviewed", actor=handler)

    answered = act(api(handler), case.pk, "answer", on="2026-03-10", outcome="disclosed")

    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert answered.json()["answered_on"] == "2026-03-10"


def test_an_extension_needing_approval_extends_when_the_notice_is_issued(api, handler, approver):
    worker, head = api(handler), api(approver)
    case = case_in_state("reviewed", actor=handler)  # due 2026-03-30
    held = act(head, case.pk, "extend", on="2026-03-20", working_days=5, reason="需要调取档案")
    assert held.status_code == 202 and held.json()["due_on"] == "2026-03-30"
    notice = the_document(worker, case.pk, "extension_notice")
    step(worker, notice["id"], "submit", on="2026-03-20")
    step(head, notice["id"], "approve", on="2026-03-20")
    assert step(worker, notice["id"], "issue", on="2026-03-23").status_code == 200

    extended = worker.get(f"/api/cases/{case.pk}/").json()
    assert extended["extended_on"] == "2026-03-23" and extended["extension_days"] == 5
    assert extended["due_on"] == "2026-04-07"  # 30 Mar + 5: 31 Mar-3 Apr (4), Qingming 4-6 Apr


def test_the_correction_period_runs_from_the_notices_delivery(api, handler):
    worker = api(handler)
    case = case_in_state("registered", actor=handler)
    act(worker, case.pk, "request-correction", on="2026-03-03", items="请注明文号", period_days=10)
    notice = the_document(worker, case.pk, "correction_notice")
    assert step(worker, notice["id"], "issue", on="2026-03-03").status_code == 200

    # Until a delivery is recorded, from the issue: 10 working days after 3 Mar is 17 Mar.
    assumed = deadline(worker, case.pk)
    assert assumed["correction_due_on"] == "2026-03-17"
    assert assumed["correction_delivery_assumed"] is True
    assert any("推定送达" in line for line in assumed["explanation"])

    posted = deliver(
        worker,
        notice["id"],
        recipient="林小明",
        method="post",
        sent_on="2026-03-03",
        tracking_number="EMS1234567890",
        delivered_on="2026-03-06",
    )
    assert posted.status_code == 201, posted.json()

    # Signed for on Fri 6 Mar: 10 working days after, 20 Mar.
    delivered = deadline(worker, case.pk)
    assert delivered["correction_period_from"] == "2026-03-06"
    assert delivered["correction_delivery_assumed"] is False
    assert delivered["correction_due_on"] == "2026-03-20"
    assert any("2026-03-06送达申请人" in line for line in delivered["explanation"])
    event = CaseEvent.objects.filter(case=case, action="delivery_record").last()
    assert event.deadlines["correction_due_on"] == {"from": "2026-03-17", "to": "2026-03-20"}

    early = act(worker, case.pk, "lapse", on="2026-03-18")
    assert early.status_code == 409
    assert "自2026-03-21起方可登记逾期" in early.json()["message"]
    assert act(worker, case.pk, "lapse", on="2026-03-23").status_code == 200


def test_the_fee_period_runs_from_the_notices_delivery(api, handler):
    worker = api(handler)
    case = case_in_state("reviewed", actor=handler)
    act(worker, case.pk, "issue-fee-notice", on="2026-03-04", basis="per_item", amount="100")
    notice = the_document(worker, case.pk, "fee_notice")
    assert step(worker, notice["id"], "issue", on="2026-03-04").status_code == 200
    # 20 working days from 4 Mar: 1 Apr (assumed).
    assert deadline(worker, case.pk)["fee_due_on"] == "2026-04-01"

    posted = deliver(
        worker,
        notice["id"],
        recipient="林小明",
        method="in_person",
        sent_on="2026-03-09",
        delivered_on="2026-03-09",
    )
    assert posted.status_code == 201, posted.json()
    # From Mon 9 Mar: 10-13 (4), 16-20 (9), 23-27 (14), 30 Mar-3 Apr (19); 4-6 Apr Qingming.
    body = deadline(worker, case.pk)
    assert body["fee_period_from"] == "2026-03-09" and body["fee_delivery_assumed"] is False
    assert body["fee_due_on"] == "2026-04-07"
    refused = act(worker, case.pk, "lapse", on="2026-04-02")
    assert refused.status_code == 409 and body["fee_due_on"] in refused.json()["message"]


def test_a_delivery_before_the_notice_is_refused(api, handler):
    worker = api(handler)
    case = case_in_state("registered", actor=handler)
    act(worker, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    notice = the_document(worker, case.pk, "correction_notice")
    step(worker, notice["id"], "issue", on="2026-03-03")
    refused = deliver(
        worker,
        notice["id"],
        recipient="林小明",
        method="in_person",
        sent_on="2026-03-03",
        delivered_on="2026-03-02",
    )
    assert refused.status_code == 400 and "delivered_on" in refused.json()["fields"]
    assert deadline(worker, case.pk)["correction_delivery_assumed"] is True


def test_the_reminder_digest_names_notices_issued_but_not_delivered(api, handler, smtp):
    worker = api(handler)
    waiting = case_in_state("registered", actor=handler)
    act(worker, waiting.pk, "request-correction", on="2026-03-03", items="请注明文号")
    notice = the_document(worker, waiting.pk, "correction_notice")
    issued = step(worker, notice["id"], "issue", on="2026-03-03")
    number = issued.json()["number"]
    case_in_state("reviewed", actor=handler)  # due 2026-03-30: a reminder on 23 Mar

    call_command("send_deadline_reminders", "--today", "2026-03-23", stdout=io.StringIO())

    text = text_of(smtp.by_recipient()[OFFICE]).replace("\r\n", "\n")
    assert f"（{number}，{waiting.reference}）于2026-03-03签发" in text
    assert "已超过5个工作日尚未登记送达" in text
