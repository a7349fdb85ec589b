"""The approval chain (spec §3) through the API: every step allowed and refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseEvent

from ..factories import AgencyFactory, UserFactory
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(api, handler):
    """A reviewed case answered through the API: its reply is a draft (approval needed), and the
    answer waits for its issue (202)."""
    case = case_in_state("reviewed", actor=handler)
    answered = act(
        api(handler), case.pk, "answer", on="2026-03-10", outcome="disclosed", reply="见附件"
    )
    assert answered.status_code == 202
    return the_document(api(handler), case.pk, "reply")


def test_a_reply_is_issued_only_after_the_head_of_office_approves(api, handler, approver, reply):
    worker, head = api(handler), api(approver)
    assert reply["status"] == "draft" and reply["number"] is None
    assert reply["files"] == {"docx": None, "pdf": None}

    early = step(worker, reply["id"], "issue", on="2026-03-10")
    assert early.status_code == 409
    assert "须经负责人审批" in early.json()["message"]

    submitted = step(worker, reply["id"], "submit", on="2026-03-10")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert step(worker, reply["id"], "approve", on="2026-03-10").status_code == 403  # handler
    waiting = step(worker, reply["id"], "issue", on="2026-03-10")
    assert waiting.status_code == 409 and "等待审批" in waiting.json()["message"]

    approved = step(head, reply["id"], "approve", on="2026-03-11")
    assert approved.status_code == 200
    assert (
        approved.json()["status"] == "approved" and approved.json()["approved_on"] == "2026-03-11"
    )
    before_approval = step(worker, reply["id"], "issue", on="2026-03-10")
    assert before_approval.status_code == 400
    assert "审批日期" in before_approval.json()["fields"]["on"]

    issued = step(worker, reply["id"], "issue", on="2026-03-11")
    assert issued.status_code == 200
    body = issued.json()
    assert body["status"] == "issued" and body["issued_on"] == "2026-03-11"
    assert body["number"] == "FJRST公开复〔2026〕1号"
    assert body["files"]["docx"].endswith(f"/api/documents/{reply['id']}/docx/")

    again = step(worker, reply["id"], "issue", on="2026-03-11")
    assert again.status_code == 409 and "不能重复签发" in again.json()["message"]
    trail = CaseEvent.objects.filter(case_id=body["case"], action__startswith="document_")
    assert [(e.action, e.from_state, e.to_state) for e in trail.order_by("id")] == [
        ("document_submit", "reviewed", "reviewed"),
        ("document_approve", "reviewed", "reviewed"),
        ("document_issue", "reviewed", "reviewed"),
    ]
    # The held answer took effect with the issue, dated the day of issue.
    answer = CaseEvent.objects.get(case_id=body["case"], action="answer")
    assert (answer.from_state, answer.to_state, answer.on.isoformat()) == (
        "reviewed",
        "answered",
        "2026-03-11",
    )
    issue_event = trail.get(action="document_issue")
    assert issue_event.actor == handler and issue_event.data["number"] == body["number"]


def test_nobody_approves_their_own_submission_unless_the_agency_allows_it(
    api, approver, agency_admin, platform_admin, reply
):
    head = api(approver)
    assert step(head, reply["id"], "submit", on="2026-03-10").status_code == 200
    own = step(head, reply["id"], "approve", on="2026-03-10")
    assert own.status_code == 403 and own.json()["code"] == "self_approval_forbidden"
    own_return = step(head, reply["id"], "return", comment="撤回修改")
    assert own_return.status_code == 403

    # Platform admins too (spec §3: "for every role").
    assert (
        step(
            api(agency_admin), reply["id"], "return", comment="请补充", on="2026-03-10"
        ).status_code
        == 200
    )
    admin = api(platform_admin)
    assert step(admin, reply["id"], "submit", on="2026-03-10").status_code == 200
    assert step(admin, reply["id"], "approve", on="2026-03-10").status_code == 403

    allowed = api(agency_admin).put(
        "/api/agencies/FJRST/document-settings/", {"allow_self_approval": True}, format="json"
    )
    assert allowed.status_code == 200 and allowed.json()["allow_self_approval"] is True
    assert step(admin, reply["id"], "approve", on="2026-03-10").status_code == 200


def test_a_returned_document_is_edited_and_submitted_again(api, handler, approver, reply):
    worker, head = api(handler), api(approver)
    step(worker, reply["id"], "submit", on="2026-03-10")
    assert worker.patch(f"/api/documents/{reply['id']}/", {"body": "改"}).status_code == 409

    no_comment = step(head, reply["id"], "return", on="2026-03-10")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["fields"]
    returned = step(head, reply["id"], "return", on="2026-03-10", comment="请写明获取方式")
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_comment"] == "请写明获取方式"
    refused = step(worker, reply["id"], "issue", on="2026-03-10")
    assert refused.status_code == 409 and "退回" in refused.json()["message"]

    new_body = reply["body"] + "\n请于工作日到本机关政府信息公开查阅点领取。"
    edited = worker.patch(f"/api/documents/{reply['id']}/", {"body": new_body}, format="json")
    assert edited.status_code == 200 and edited.json()["body"] == new_body
    assert edited.json()["status"] == "returned"
    draft_event = CaseEvent.objects.get(case_id=reply["case"], action="document_draft")
    assert draft_event.actor == handler and draft_event.data["document"] == reply["id"]

    assert step(worker, reply["id"], "submit", on="2026-03-11").status_code == 200
    assert step(head, reply["id"], "approve", on="2026-03-11").status_code == 200
    issued = step(worker, reply["id"], "issue", on="2026-03-11").json()
    assert issued["body"] == new_body
    locked = worker.patch(f"/api/documents/{reply['id']}/", {"body": "改"}, format="json")
    assert locked.status_code == 409  # issued documents never change


def test_steps_refused_in_the_wrong_status(api, handler, approver, reply):
    worker, head = api(handler), api(approver)
    assert step(head, reply["id"], "approve").status_code == 409  # a draft
    assert step(head, reply["id"], "return", comment="x").status_code == 409
    assert step(worker, reply["id"], "reissue", reason="x").status_code == 409
    step(worker, reply["id"], "submit", on="2026-03-10")
    assert step(worker, reply["id"], "submit", on="2026-03-10").status_code == 409


def test_step_dates_are_checked(api, handler, approver, reply):
    worker = api(handler)
    before_draft = step(worker, reply["id"], "submit", on="2026-03-09")
    assert before_draft.status_code == 400 and "拟稿日期" in before_draft.json()["fields"]["on"]
    future = step(worker, reply["id"], "submit", on="2099-01-01")
    assert future.status_code == 400 and "on" in future.json()["fields"]
    too_old = step(worker, reply["id"], "submit", on="2001-01-01")
    assert too_old.status_code == 400 and "on" in too_old.json()["fields"]
    step(worker, reply["id"], "submit", on="2026-03-12")
    early = step(api(approver), reply["id"], "approve", on="2026-03-11")
    assert early.status_code == 400 and "提交审批日期" in early.json()["fields"]["on"]


def test_roles_and_agencies(api, registrar, handler, reply):
    clerk = api(registrar)
    assert clerk.get(f"/api/documents/{reply['id']}/").status_code == 200
    assert step(clerk, reply["id"], "submit").status_code == 403
    assert clerk.patch(f"/api/documents/{reply['id']}/", {"body": "x"}).status_code == 403

    other = AgencyFactory(code="FJJYT", name="福建省教育厅")
    stranger = api(UserFactory(agency=other, role="agency_admin"))
    assert stranger.get(f"/api/documents/{reply['id']}/").status_code == 404
    assert stranger.get(f"/api/cases/{reply['case']}/documents/").status_code == 404
    assert step(stranger, reply["id"], "submit").status_code == 404
    assert stranger.patch(f"/api/documents/{reply['id']}/", {"body": "x"}).status_code == 404
    assert api(handler).get("/api/documents/999999/").status_code == 404


def test_edit_input_is_checked(api, handler, reply):
    worker = api(handler)
    unknown = worker.patch(
        f"/api/documents/{reply['id']}/", {"body": "x", "number": "1号"}, format="json"
    )
    assert unknown.status_code == 400 and "number" in unknown.json()["fields"]
    blank = worker.patch(f"/api/documents/{reply['id']}/", {"body": "  "}, format="json")
    assert blank.status_code == 400 and "body" in blank.json()["fields"]


def test_approval_is_set_per_kind(api, handler, agency_admin, reply):
    admin, worker = api(agency_admin), api(handler)
    changed = admin.put(
        "/api/agencies/FJRST/document-settings/",
        {"approval_required": {"reply": False, "correction_notice": True}},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["approval_required"]["extension_notice"] is True  # default kept
    assert step(worker, reply["id"], "issue", on="2026-03-10").status_code == 200

    case = case_in_state("registered", actor=handler)
    act(worker, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    notice = the_document(worker, case.pk, "correction_notice")
    assert step(worker, notice["id"], "issue", on="2026-03-03").status_code == 409


def test_an_extension_is_issued_within_the_reply_period_it_extends(api, handler, approver):
    case = case_in_state("reviewed", actor=handler)  # received 2026-03-02, due 2026-03-30
    head, worker = api(approver), api(handler)
    act(head, case.pk, "extend", on="2026-03-20", working_days=5, reason="需要调取档案")
    notice = the_document(worker, case.pk, "extension_notice")
    assert notice["data"]["reply_due_on"] == "2026-03-30"
    assert "延长5个工作日" in notice["body"]
    step(worker, notice["id"], "submit", on="2026-03-20")
    step(head, notice["id"], "approve", on="2026-03-20")
    late = step(worker, notice["id"], "issue", on="2026-03-31")
    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"
    assert step(worker, notice["id"], "issue", on="2026-03-30").status_code == 200


def test_listing_a_cases_documents_takes_the_same_queries_however_many(
    api, handler, django_assert_max_num_queries
):
    client = api(handler)
    case = case_in_state("reviewed", actor=handler)
    act(client, case.pk, "consult", on="2026-03-03", party="甲公司")
    first = the_document(client, case.pk, "consultation_letter")
    issued = step(client, first["id"], "issue", on="2026-03-03").json()
    client.post(
        f"/api/documents/{issued['id']}/deliveries/",
        {"recipient": "甲公司", "method": "email", "sent_on": "2026-03-03"},
        format="json",
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/cases/{case.pk}/documents/").status_code == 200
        return len(queries)

    one = count()
    act(client, case.pk, "receive-opinion", on="2026-03-04", opinion="同意")
    act(client, case.pk, "consult", on="2026-03-05", party="乙公司")
    act(client, case.pk, "receive-opinion", on="2026-03-06", opinion="同意")
    act(client, case.pk, "answer", on="2026-03-09", outcome="disclosed")
    assert len(client.get(f"/api/cases/{case.pk}/documents/").json()) == 3
    assert count() == one
    with django_assert_max_num_queries(8):
        client.get(f"/api/cases/{case.pk}/documents/")
