"""A correction may be asked for after review (Art. 30), once per case, and not once a
consultation or a fee notice has begun; the case corrected after review goes back to reviewed."""

import datetime as dt

import pytest
from django.test import Client

from cases import services
from cases.models import (
    CORRECTION_AFTER_CONSULTATION,
    CORRECTION_AFTER_EXTENSION,
    CORRECTION_AFTER_FEE_NOTICE,
    CaseEvent,
)

from .helpers import act, case_in_state

pytestmark = pytest.mark.django_db
ANSWERED = dt.date(2026, 3, 4)  # the opinion or the payment, the day after the letter


def events(case_id):
    return list(
        CaseEvent.objects.filter(case_id=case_id)
        .order_by("id")
        .values_list("action", "from_state", "to_state")
    )


def test_correction_after_review_returns_to_reviewed_and_restarts_the_clock(api, handler):
    case = case_in_state("reviewed", actor=handler)  # received Mon 2026-03-02, reviewed 03-03
    client = api(handler)
    assert "request-correction" in client.get(f"/api/cases/{case.pk}/").json()["actions"]

    notice = act(client, case.pk, "request-correction", on="2026-03-05", items="请写明文件名称")
    assert notice.status_code == 200, notice.json()
    assert notice.json()["state"] == "awaiting_correction"
    assert notice.json()["due_on"] is None  # no reply deadline while waiting

    back = act(client, case.pk, "receive-correction", on="2026-03-16")
    assert back.status_code == 200, back.json()
    body = back.json()
    # Back to reviewed: the handler keeps the case and need not review it again.
    assert body["state"] == "reviewed"
    assert body["reviewed_on"] == "2026-03-03"
    assert body["assigned_handler"] == handler.pk
    # The clock restarts from the corrected request's arrival (Mon 16 Mar, not counted) even
    # though the review came before: 17-20 Mar (4), 23-27 (9), 30-31 (11), 1-3 Apr (14),
    # 4-6 Apr 清明 holiday, 7-10 (18), 13-14 (20).
    assert body["due_on"] == "2026-04-14"
    deadline = client.get(f"/api/cases/{case.pk}/deadline/").json()
    assert deadline["start_on"] == "2026-03-16"
    assert deadline["correction_notice_late"] is False  # 03-05 is within 03-11
    assert set(body["actions"]) >= {"consult", "answer", "withdraw"}
    assert "request-correction" not in body["actions"]  # once per case

    again = act(client, case.pk, "request-correction", items="再次补正")
    assert again.status_code == 409
    assert "只能发出一次" in again.json()["message"]
    assert events(case.pk)[-2:] == [
        ("request_correction", "reviewed", "awaiting_correction"),
        ("receive_correction", "awaiting_correction", "reviewed"),
    ]


def test_correction_before_review_still_returns_to_registered(api, handler):
    case = case_in_state("awaiting_correction", actor=handler)
    back = act(api(handler), case.pk, "receive-correction", on="2026-03-06")
    assert back.json()["state"] == "registered"


def test_a_late_correction_after_review_is_flagged(api, handler):
    # Received Mon 2 Mar: the notice is due within 7 working days, by Wed 11 Mar (3-6, 9-11).
    case = case_in_state("reviewed", actor=handler)
    response = act(api(handler), case.pk, "request-correction", on="2026-03-12", items="补充")
    assert response.status_code == 200, response.json()
    assert response.json()["correction_notice_due_on"] == "2026-03-11"
    deadline = api(handler).get(f"/api/cases/{case.pk}/deadline/").json()
    assert deadline["correction_notice_late"] is True
    assert any("补正告知晚于该期限" in line for line in deadline["explanation"])


@pytest.mark.parametrize(
    "history, message",
    [
        ("consulting", CORRECTION_AFTER_CONSULTATION),
        ("opinion_received", CORRECTION_AFTER_CONSULTATION),
        ("awaiting_fee", CORRECTION_AFTER_FEE_NOTICE),
        ("fee_paid", CORRECTION_AFTER_FEE_NOTICE),
    ],
)
def test_no_correction_once_a_consultation_or_fee_notice_has_begun(api, handler, history, message):
    # Consultation and fee notice on 03-03, the answer (opinion, payment) on 03-04.
    state = "awaiting_fee" if history.startswith(("awaiting_fee", "fee")) else "consulting"
    case = case_in_state(state, actor=handler)
    if history == "opinion_received":
        case = services.case_receive_opinion(case=case, actor=handler, on=ANSWERED)
    if history == "fee_paid":
        case = services.case_receive_payment(case=case, actor=handler, on=ANSWERED)
    before = events(case.pk)

    response = act(api(handler), case.pk, "request-correction", items="请写明文件名称")

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["message"] == message
    assert "不能再要求补正" in message
    assert events(case.pk) == before
    assert "request-correction" not in api(handler).get(f"/api/cases/{case.pk}/").json()["actions"]


def test_the_case_page_offers_the_correction_after_review_and_says_why_not(handler):
    client = Client()
    client.force_login(handler)
    reviewed = case_in_state("reviewed", actor=handler)
    page = client.get(f"/admin/cases/case/{reviewed.pk}/change/").content.decode()
    assert 'value="request_correction"' in page

    consulted = case_in_state("consulting", actor=handler)
    consulted = services.case_receive_opinion(case=consulted, actor=handler, on=ANSWERED)
    page = client.get(f"/admin/cases/case/{consulted.pk}/change/").content.decode()
    assert 'value="request_correction"' not in page
    assert f"“补正告知”不可用：{CORRECTION_AFTER_CONSULTATION}" in page


def test_no_correction_once_the_reply_was_extended(api, approver):
    # The extension was granted against the period as it stood; a correction would restart it.
    case = case_in_state("reviewed", actor=approver)
    case = services.case_extend(
        case=case, actor=approver, working_days=5, reason="需调取档案", on=ANSWERED
    )
    response = act(api(approver), case.pk, "request-correction", items="请写明文件名称")
    assert response.status_code == 409
    assert response.json()["message"] == CORRECTION_AFTER_EXTENSION
