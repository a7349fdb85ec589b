"""Every transition of the lifecycle table, allowed and refused, through the HTTP API."""

import datetime as dt

import pytest

from cases.models import Case, CaseEvent

from .helpers import ALLOWED, PAYLOADS, act, case_in_state

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "applicant_type": "natural_person",
    "applicant_name": "林小明",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "channel": "letter",
    "received_on": "2026-03-02",
    "description": "2025年度全省技能人才培训补贴发放情况",
    "contact_phone": "0591-87654321",
    "contact_email": "lin@example.com",
    "contact_address": "福州市鼓楼区某路1号",
    "postal_code": "350001",
    "delivery_form": "electronic",
}


def events(case_id):
    return list(
        CaseEvent.objects.filter(case_id=case_id)
        .order_by("id")
        .values_list("action", "from_state", "to_state")
    )


def test_register_numbers_cases_per_agency_and_year_of_receipt(api, registrar):
    client = api(registrar)
    first = client.post("/api/cases/", NEW_CASE, format="json")
    second = client.post("/api/cases/", NEW_CASE, format="json")
    older = client.post("/api/cases/", {**NEW_CASE, "received_on": "2025-12-31"}, format="json")

    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["reference"] == "FJRST-2026-00001"
    assert second.json()["reference"] == "FJRST-2026-00002"
    assert older.json()["reference"] == "FJRST-2025-00001"
    assert body["state"] == "registered"
    assert body["agency"] == "FJRST"
    assert body["received_on"] == "2026-03-02"
    assert body["outcome"] == "" and body["answered_on"] is None
    assert body["contact_email"] == "lin@example.com"
    assert events(body["id"]) == [("register", "new", "registered")]
    event = CaseEvent.objects.get(case_id=body["id"])
    assert event.actor == registrar
    assert event.on == dt.date(2026, 3, 2)
    assert event.data["reference"] == "FJRST-2026-00001"


def test_main_line_registered_reviewed_answered_archived(api, registrar, handler):
    case_id = api(registrar).post("/api/cases/", NEW_CASE, format="json").json()["id"]

    reviewed = act(api(handler), case_id, "review", on="2026-03-03")
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["state"] == "reviewed"
    assert reviewed.json()["reviewed_on"] == "2026-03-03"
    assert reviewed.json()["assigned_handler"] == handler.pk  # the reviewer takes the case

    answered = act(
        api(handler),
        case_id,
        "answer",
        on="2026-03-20",
        outcome="disclosed",
        reply="现将所需信息提供如下",
        delivery="electronic",
    )
    assert answered.status_code == 200, answered.json()
    body = answered.json()
    assert body["state"] == "answered"
    assert body["outcome"] == "disclosed"
    assert body["answered_on"] == "2026-03-20"
    # Filled from the outcome, naming the text it cites.
    assert body["legal_basis"] == "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
    assert body["delivery"] == "electronic"

    archived = act(api(registrar), case_id, "archive", on="2026-03-25", note="已归档至卷宗")
    assert archived.json()["state"] == "archived"
    assert archived.json()["archived_on"] == "2026-03-25"
    assert events(case_id) == [
        ("register", "new", "registered"),
        ("review", "registered", "reviewed"),
        ("answer", "reviewed", "answered"),
        ("archive", "answered", "archived"),
    ]
    answer_event = CaseEvent.objects.get(case_id=case_id, action="answer")
    assert answer_event.actor == handler
    assert answer_event.data["outcome"] == "disclosed"
    assert CaseEvent.objects.get(case_id=case_id, action="archive").note == "已归档至卷宗"


def test_answer_keeps_an_edited_legal_basis(api, handler):
    case = case_in_state("reviewed", actor=handler)
    response = act(
        api(handler),
        case.pk,
        "answer",
        outcome="unavailable_not_held",
        legal_basis="第三十六条第（四）项、第（五）项",
    )
    assert response.json()["legal_basis"] == "第三十六条第（四）项、第（五）项"


def test_correction_loop_and_lapse(api, handler, settings):
    settings.CORRECTION_PERIOD_DAYS = 12
    case = case_in_state("registered", actor=handler)

    notice = act(api(handler), case.pk, "request-correction", on="2026-03-05", items="请注明文号")
    assert notice.status_code == 200
    assert notice.json()["state"] == "awaiting_correction"
    assert notice.json()["correction_items"] == "请注明文号"
    assert notice.json()["correction_period_days"] == 12  # the configured default

    back = act(api(handler), case.pk, "receive-correction", on="2026-03-10")
    assert back.json()["state"] == "registered"
    assert back.json()["correction_received_on"] == "2026-03-10"

    again = act(api(handler), case.pk, "request-correction", items="再次补正")
    assert again.status_code == 409
    assert "只能发出一次" in again.json()["message"]

    other = case_in_state("registered", actor=handler)
    act(api(handler), other.pk, "request-correction", on="2026-03-05", items="x", period_days=20)
    lapsed = act(api(handler), other.pk, "lapse", on="2026-04-10")
    body = lapsed.json()
    assert body["state"] == "answered"
    assert body["outcome"] == "other_no_correction"
    assert body["answered_on"] == "2026-04-10" == body["lapsed_on"]
    assert body["legal_basis"] == "《中华人民共和国政府信息公开条例》第三十条"
    assert body["correction_period_days"] == 20


def test_fee_notice_payment_and_unpaid_lapse(api, handler):
    case = case_in_state("reviewed", actor=handler)
    notice = act(
        api(handler), case.pk, "issue-fee-notice", on="2026-03-05", basis="per_item", amount="300"
    )
    assert notice.json()["state"] == "awaiting_fee"
    assert notice.json()["fee_basis"] == "per_item"
    assert notice.json()["fee_amount"] == "300.00"
    paid = act(api(handler), case.pk, "receive-payment", on="2026-03-09")
    assert paid.json()["state"] == "reviewed"
    assert paid.json()["fee_paid_on"] == "2026-03-09"

    unpaid = case_in_state("awaiting_fee", actor=handler)
    lapsed = act(api(handler), unpaid.pk, "lapse", on="2026-04-10")
    assert lapsed.json()["outcome"] == "other_fee_unpaid"
    assert lapsed.json()["state"] == "answered"


def test_consultation_with_extension_while_consulting(api, handler, approver):
    case = case_in_state("reviewed", actor=handler)
    sent = act(api(handler), case.pk, "consult", on="2026-03-05", party="某科技有限公司")
    assert sent.json()["state"] == "consulting"
    assert sent.json()["consultation_party"] == "某科技有限公司"

    extended = act(
        api(approver), case.pk, "extend", on="2026-03-20", working_days=20, reason="第三方意见未到"
    )
    assert extended.status_code == 200, extended.json()
    assert extended.json()["state"] == "consulting"
    assert extended.json()["extension_days"] == 20
    assert Case.objects.get(pk=case.pk).extension_approved_by == approver

    opinion = act(api(handler), case.pk, "receive-opinion", on="2026-03-25", opinion="不同意公开")
    assert opinion.json()["state"] == "reviewed"
    assert opinion.json()["opinion"] == "不同意公开"
    assert opinion.json()["opinion_received_on"] == "2026-03-25"
    assert events(case.pk)[-3:] == [
        ("consult", "reviewed", "consulting"),
        ("extend", "consulting", "consulting"),
        ("receive_opinion", "consulting", "reviewed"),
    ]


@pytest.mark.parametrize(
    "state", ["registered", "awaiting_correction", "reviewed", "consulting", "awaiting_fee"]
)
def test_withdraw_from_every_open_state(api, registrar, handler, state):
    case = case_in_state(state, actor=handler)
    response = act(api(registrar), case.pk, "withdraw", on="2026-03-06")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "answered"
    assert response.json()["outcome"] == "withdrawn"
    assert response.json()["answered_on"] == "2026-03-06" == response.json()["withdrawn_on"]
    assert events(case.pk)[-1] == ("withdraw", state, "answered")


@pytest.mark.parametrize("state", sorted(ALLOWED))
def test_offered_actions_follow_the_lifecycle_table(api, agency_admin, platform_admin, state):
    # A platform admin may take every action, so what is offered is what the state allows.
    case = case_in_state(state, actor=agency_admin)
    body = api(platform_admin).get(f"/api/cases/{case.pk}/").json()
    assert body["state"] == state
    assert set(body["actions"]) == ALLOWED[state]


@pytest.mark.parametrize(
    "state, action",
    [
        (state, action)
        for state in sorted(ALLOWED)
        for action in PAYLOADS
        if action not in ALLOWED[state]
    ],
)
def test_every_action_outside_its_states_is_refused_with_409(
    api, agency_admin, platform_admin, state, action
):
    case = case_in_state(state, actor=agency_admin)
    before = CaseEvent.objects.filter(case=case).count()

    response = act(api(platform_admin), case.pk, action, **PAYLOADS[action])

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["message"]
    refreshed = Case.objects.get(pk=case.pk)
    assert refreshed.state == state
    assert refreshed.version == case.version
    assert CaseEvent.objects.filter(case=case).count() == before


def test_answered_case_cannot_be_withdrawn_or_answered_again(api, handler):
    case = case_in_state("answered", actor=handler)
    assert act(api(handler), case.pk, "withdraw").status_code == 409
    assert act(api(handler), case.pk, "answer", outcome="disclosed").status_code == 409
