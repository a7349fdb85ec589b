"""Impossible input is refused with 400 naming the field; the error body has one shape."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from cases import clock
from cases.models import Case, CaseEvent

from .helpers import act, case_in_state
from .test_lifecycle import NEW_CASE

pytestmark = pytest.mark.django_db


def assert_refused(response, field, status=400):
    assert response.status_code == status, response.json()
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert body["fields"][field]
    return body


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"id_number": "110105194912310021"}, "id_number"),  # wrong check character
        ({"id_number": "1101051949123"}, "id_number"),
        ({"id_type": "uscc", "id_number": "91350100M000100Y43"}, "id_type"),  # person with USCC
        (
            {"applicant_type": "commercial_enterprise", "id_number": "11010519491231002X"},
            "id_type",
        ),
        (
            {
                "applicant_type": "commercial_enterprise",
                "id_type": "uscc",
                "id_number": "91350100M000100Y44",
            },
            "id_number",
        ),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"received_on": "2026-13-01"}, "received_on"),
        ({"applicant_type": "alien"}, "applicant_type"),
        ({"channel": "pigeon"}, "channel"),
        ({"id_type": "driving_licence"}, "id_type"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"postal_code": "35000"}, "postal_code"),
        ({"applicant_name": ""}, "applicant_name"),
    ],
)
def test_registration_refuses_bad_input(api, registrar, changes, field):
    response = api(registrar).post("/api/cases/", {**NEW_CASE, **changes}, format="json")
    assert_refused(response, field)
    assert not Case.objects.exists()


def test_registration_names_every_missing_field(api, registrar):
    body = assert_refused(api(registrar).post("/api/cases/", {}, format="json"), "applicant_type")
    assert {
        "applicant_name",
        "id_type",
        "id_number",
        "channel",
        "received_on",
        "description",
    } <= set(body["fields"])


def test_organisation_with_valid_uscc_and_passport_holder_are_accepted(api, registrar):
    company = {
        **NEW_CASE,
        "applicant_type": "commercial_enterprise",
        "applicant_name": "福建某某科技有限公司",
        "id_type": "uscc",
        "id_number": "91350100m000100y43",
    }
    response = api(registrar).post("/api/cases/", company, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == "91350100M000100Y43"
    foreigner = {**NEW_CASE, "id_type": "passport", "id_number": "E12345678"}
    assert api(registrar).post("/api/cases/", foreigner, format="json").status_code == 201


def test_action_date_in_the_future_is_refused(api, handler):
    case = case_in_state("registered", actor=handler)
    tomorrow = clock.today() + dt.timedelta(days=1)
    body = assert_refused(act(api(handler), case.pk, "review", on=tomorrow.isoformat()), "on")
    assert "今天" in body["fields"]["on"]


def test_today_is_the_date_in_shanghai(api, handler):
    case = case_in_state("registered", actor=handler)
    # 17:30 UTC on 22 Nov is already 01:30 on 23 Nov in Shanghai.
    late_evening_utc = dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=late_evening_utc):
        assert clock.today() == dt.date(2026, 11, 23)
        response = act(api(handler), case.pk, "review", on="2026-11-23")
        assert response.status_code == 200, response.json()
        default = case_in_state("registered", actor=handler)
        assert act(api(handler), default.pk, "review").json()["reviewed_on"] == "2026-11-23"


def test_action_date_before_receipt_is_refused(api, handler):
    case = case_in_state("registered", actor=handler)
    body = assert_refused(act(api(handler), case.pk, "review", on="2026-03-01"), "on")
    assert "2026-03-02" in body["fields"]["on"]


def test_action_date_before_the_previous_step_is_refused(api, handler):
    case = case_in_state("reviewed", actor=handler)  # reviewed on 2026-03-03
    act(api(handler), case.pk, "consult", on="2026-03-10", party="某公司")
    body = assert_refused(act(api(handler), case.pk, "receive-opinion", on="2026-03-09"), "on")
    assert "2026-03-10" in body["fields"]["on"]
    assert act(api(handler), case.pk, "receive-opinion", on="2026-03-10").status_code == 200


def test_malformed_date_is_refused(api, handler):
    case = case_in_state("registered", actor=handler)
    assert_refused(act(api(handler), case.pk, "review", on="03/05/2026"), "on")


@pytest.mark.parametrize("outcome", ["withdrawn", "other_no_correction", "other_fee_unpaid"])
def test_answer_refuses_outcomes_of_withdraw_and_lapse(api, handler, outcome):
    case = case_in_state("reviewed", actor=handler)
    assert_refused(act(api(handler), case.pk, "answer", outcome=outcome), "outcome")
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_answer_refuses_unknown_outcome(api, handler):
    case = case_in_state("reviewed", actor=handler)
    assert_refused(act(api(handler), case.pk, "answer", outcome="maybe"), "outcome")
    assert_refused(act(api(handler), case.pk, "answer"), "outcome")


@pytest.mark.parametrize(
    "outcome",
    [
        "partially_disclosed",
        "withheld_state_secret",
        "withheld_third_party_rights",
        "withheld_process_information",
    ],
)
def test_withheld_and_partial_outcomes_need_a_reason(api, handler, outcome):
    case = case_in_state("reviewed", actor=handler)
    assert_refused(act(api(handler), case.pk, "answer", outcome=outcome), "reason")
    assert_refused(act(api(handler), case.pk, "answer", outcome=outcome, reason="   "), "reason")
    ok = act(api(handler), case.pk, "answer", outcome=outcome, reason="涉及第三方商业秘密")
    assert ok.status_code == 200
    assert ok.json()["reason"] == "涉及第三方商业秘密"


def test_other_outcomes_need_no_reason(api, handler):
    case = case_in_state("reviewed", actor=handler)
    response = act(api(handler), case.pk, "answer", outcome="not_processed_duplicate")
    assert response.status_code == 200
    basis = "《中华人民共和国政府信息公开条例》第三十六条第（六）项"
    assert response.json()["legal_basis"] == basis


@pytest.mark.parametrize("days", [0, 21, -3])
def test_extension_is_one_to_twenty_working_days(api, approver, days):
    case = case_in_state("reviewed", actor=approver)
    assert_refused(
        act(api(approver), case.pk, "extend", working_days=days, reason="档案调取"), "working_days"
    )


def test_extension_needs_a_reason_and_happens_once(api, approver):
    case = case_in_state("reviewed", actor=approver)
    on = "2026-03-20"  # within the reply period (due 2026-03-30)
    assert_refused(
        act(api(approver), case.pk, "extend", working_days=5, reason=" ", on=on), "reason"
    )
    extended = act(api(approver), case.pk, "extend", working_days=20, reason="档案调取", on=on)
    assert extended.status_code == 200

    second = act(api(approver), case.pk, "extend", working_days=1, reason="再延一天", on=on)
    assert second.status_code == 409
    assert "只能延长一次" in second.json()["message"]
    assert Case.objects.get(pk=case.pk).extension_days == 20


def test_extension_survives_a_consultation_round_trip_only_once(api, approver):
    case = case_in_state("consulting", actor=approver)
    on = "2026-03-10"  # within the reply period
    extended = act(api(approver), case.pk, "extend", working_days=10, reason="x", on=on)
    assert extended.status_code == 200
    act(api(approver), case.pk, "receive-opinion", on=on)
    again = act(api(approver), case.pk, "extend", working_days=10, reason="y", on=on)
    assert again.status_code == 409


@pytest.mark.parametrize(
    "action, payload, field",
    [
        ("request-correction", {"items": ""}, "items"),
        ("request-correction", {"items": "补充", "period_days": 0}, "period_days"),
        ("request-correction", {"items": "补充", "period_days": 61}, "period_days"),
        ("consult", {"party": ""}, "party"),
        ("issue-fee-notice", {"basis": "per_kilo", "amount": "10", "on": "2026-03-04"}, "basis"),
        ("issue-fee-notice", {"basis": "per_item", "amount": "0", "on": "2026-03-04"}, "amount"),
        ("issue-fee-notice", {"basis": "per_item", "amount": "abc", "on": "2026-03-04"}, "amount"),
    ],
)
def test_action_fields_are_checked(api, agency_admin, action, payload, field):
    state = "registered" if action == "request-correction" else "reviewed"
    case = case_in_state(state, actor=agency_admin)
    events_before = CaseEvent.objects.filter(case=case).count()
    assert_refused(act(api(agency_admin), case.pk, action, **payload), field)
    assert CaseEvent.objects.filter(case=case).count() == events_before
    assert Case.objects.get(pk=case.pk).state == state
