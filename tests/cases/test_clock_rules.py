"""The statutory clock at its edges, through the API, for the 2019 and the 2008 Regulations.

Every expected date is counted by hand in the comment next to it, on the official calendar: the
day of the event is not counted, a period of N working days ends on the N-th working day after.
2024: 10 Jun Dragon Boat Festival; 14 Sep (Sat) worked, 15-17 Sep Mid-Autumn, 29 Sep (Sun)
worked, 1-7 Oct National Day, 12 Oct (Sat) worked. 2018: 5-7 Apr Qingming, 8 Apr (Sun) worked.
"""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent

from ..factories import register_case
from .helpers import act

D = dt.date
STATUTE_2019 = "《中华人民共和国政府信息公开条例》"
STATUTE_2008 = "2008年施行的《中华人民共和国政府信息公开条例》（国务院令第492号）"

pytestmark = pytest.mark.django_db


def reviewed(actor, received_on, reviewed_on):
    case = register_case(actor=actor, received_on=received_on)
    return services.case_review(case=case, actor=actor, on=reviewed_on)


def deadline(client, case):
    return client.get(f"/api/cases/{case.pk}/deadline/").json()


# 1. A consultation pause ends at the opinion or at the end of the other side's 15 days.


@pytest.mark.parametrize(
    "opinion_on, counted, due",
    [
        # Received Mon 3 Jun 2024: due 2 Jul (4-7 (4), 11-14 (8), 17-21 (13), 24-28 (18),
        # 1-2 Jul (20)). Sent Wed 5 Jun; the other side's 15 working days: 6-7 (2), 11-14 (6),
        # 17-21 (11), 24-27 Jun (15).
        ("2024-06-12", 4, "2024-07-08"),  # 6, 7, 11, 12 Jun; 2 Jul + 4: 3-5, 8 Jul
        ("2024-06-27", 15, "2024-07-23"),  # the 15th working day; 2 Jul + 15: 3-5 (3),
        # 8-12 (8), 15-19 (13), 22-23 Jul (15)
        ("2024-06-28", 15, "2024-07-23"),  # the 16th: counted only up to 27 Jun
        ("2024-09-30", 15, "2024-07-23"),  # three months late: still 15 working days
    ],
)
def test_a_consultation_pause_is_capped_at_the_other_sides_period(
    api, handler, opinion_on, counted, due
):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    assert act(client, case.pk, "consult", party="某公司", on="2024-06-05").status_code == 200
    opinion = act(client, case.pk, "receive-opinion", on=opinion_on)
    assert opinion.status_code == 200, opinion.json()
    body = deadline(client, case)
    assert body["pauses"][0]["working_days"] == counted
    assert body["pauses"][0]["limit_on"] == "2024-06-27"
    assert body["due_on"] == body["stored_due_on"] == due
    late = opinion_on > "2024-06-27"
    assert ("只扣除至期限届满日" in body["pauses"][0]["note"]) is late
    assert any("只扣除至期限届满日" in line for line in body["explanation"]) is late


def test_another_agency_is_consulted_under_art_34_with_the_same_cap(api, handler):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    sent = act(
        client, case.pk, "consult", party="福建省医疗保障局", party_kind="agency", on="2024-06-05"
    )
    assert sent.status_code == 200 and sent.json()["consultation_party_kind"] == "agency"
    act(client, case.pk, "receive-opinion", on="2024-06-28")
    body = deadline(client, case)
    assert "第三十四条" in body["pauses"][0]["rule"]
    assert body["due_on"] == "2024-07-23"  # 15 counted, as for a third party


def test_under_the_2008_regulations_only_a_third_party_stops_the_clock(api, handler):
    # Received Mon 5 Mar 2018, 2008 text: 15 working days, 6-9 (4), 12-16 (9), 19-23 (14),
    # 26 Mar (15). Consulted Wed 7 Mar, opinion Wed 14 Mar: 8, 9, 12, 13, 14 = 5 working days.
    client = api(handler)
    third = reviewed(handler, D(2018, 3, 5), D(2018, 3, 6))
    agency = reviewed(handler, D(2018, 3, 5), D(2018, 3, 6))
    act(client, third.pk, "consult", party="某公司", on="2018-03-07")
    act(client, agency.pk, "consult", party="某局", party_kind="agency", on="2018-03-07")
    for case in (third, agency):
        act(client, case.pk, "receive-opinion", on="2018-03-14")
    # 26 Mar + 5: 27-30 Mar (4), 2 Apr (5).
    third_body, agency_body = deadline(client, third), deadline(client, agency)
    assert third_body["regulations"] == "2008"
    assert third_body["due_on"] == "2018-04-02"
    assert "2008年施行的《条例》第二十三条、第二十四条" in third_body["pauses"][0]["rule"]
    assert agency_body["due_on"] == "2018-03-26"
    assert agency_body["pauses"][0]["working_days"] == 0
    assert "征求其他机关意见不扣除" in agency_body["pauses"][0]["note"]


# 2. Payment after the 20 working days is refused, unless an agency admin records why.


@pytest.fixture
def fee_case(handler):
    # Received Mon 2 Sep 2024, due 30 Sep: 3-6 (4), 9-14 (10, Sat 14 worked), 18-20 (13),
    # 23-27 (18), 29 (19, Sun worked), 30 Sep (20). Fee notice Tue 3 Sep: the applicant pays
    # within 20 working days, by 8 Oct: 4-6 (3), 9-14 (9), 18-20 (12), 23-27 (17), 29-30 (19),
    # 1-7 Oct off, 8 Oct (20).
    case = reviewed(handler, D(2024, 9, 2), D(2024, 9, 2))
    case = services.case_issue_fee_notice(
        case=case, actor=handler, basis="per_page", amount=100, on=D(2024, 9, 3)
    )
    assert case.fee_due_on == D(2024, 10, 8)
    return case


def test_payment_on_the_last_day_is_accepted(api, handler, fee_case):
    response = act(api(handler), fee_case.pk, "receive-payment", on="2024-10-08")
    assert response.status_code == 200
    # Paused 4 Sep-8 Oct: all 20 working days. 30 Sep + 20: 8-12 Oct (5, Sat 12 worked),
    # 14-18 (10), 21-25 (15), 28 Oct-1 Nov (20).
    assert response.json()["due_on"] == "2024-11-01"


def test_payment_the_day_after_is_refused_naming_the_last_day(api, handler, fee_case):
    response = act(api(handler), fee_case.pk, "receive-payment", on="2024-10-09")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "payment_period_ended"
    assert "2024-10-08" in body["message"] and "2024-10-08" in body["fields"]["on"]
    assert Case.objects.get(pk=fee_case.pk).state == "awaiting_fee"
    # A handler may not excuse it; the agency admin may, and the pause still ends on 8 Oct.
    excused = act(api(handler), fee_case.pk, "receive-payment", on="2024-10-09", late_reason="x")
    assert excused.status_code == 403


def test_an_agency_admin_accepts_a_late_payment_with_a_reason(api, agency_admin, fee_case):
    reason = "申请人因邮政汇款延误，有汇款凭证"
    response = act(
        api(agency_admin), fee_case.pk, "receive-payment", on="2024-12-02", late_reason=reason
    )
    assert response.status_code == 200
    assert response.json()["due_on"] == "2024-11-01"  # as if paid on the last day
    event = CaseEvent.objects.get(case_id=fee_case.pk, action="receive_payment")
    assert event.data == {"late_reason": reason} and event.actor == agency_admin
    body = deadline(api(agency_admin), fee_case)
    assert body["pauses"][0]["working_days"] == 20
    assert "缴费晚于缴费期限" in body["pauses"][0]["note"]


# 3. After the deadline: no extension, no fee notice; a consultation adds nothing.


@pytest.mark.parametrize(
    "received, due, approved_on, allowed",
    [
        # 2019 rules: received Mon 3 Jun 2024, due Tue 2 Jul (see above).
        (D(2024, 6, 3), "2024-07-02", "2024-07-02", True),
        (D(2024, 6, 3), "2024-07-02", "2024-07-03", False),
        # 2008 rules: received Mon 5 Mar 2018, due Mon 26 Mar.
        (D(2018, 3, 5), "2018-03-26", "2018-03-26", True),
        (D(2018, 3, 5), "2018-03-26", "2018-03-27", False),
    ],
)
def test_an_extension_is_decided_within_the_period(
    api, approver, received, due, approved_on, allowed
):
    case = reviewed(approver, received, received)
    assert case.due_on.isoformat() == due
    days = 10
    response = act(
        api(approver), case.pk, "extend", working_days=days, reason="需调取档案", on=approved_on
    )
    if allowed:
        assert response.status_code == 200
        # 2 Jul 2024 + 10: 3-5, 8-12, 15-16 Jul. 26 Mar 2018 + 10: 27-30 (4), 2-4 Apr (7),
        # 5-7 Apr off, Sun 8 Apr worked (8), 9-10 Apr (10).
        assert response.json()["due_on"] == {"2024-07-02": "2024-07-16"}.get(due, "2018-04-10")
    else:
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "deadline_passed" and due in body["message"]
        assert Case.objects.get(pk=case.pk).extended_on is None


def test_a_fee_notice_after_the_deadline_is_refused(api, handler):
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    late = act(
        api(handler), case.pk, "issue-fee-notice", basis="per_item", amount="100", on="2024-07-03"
    )
    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"
    on_time = act(
        api(handler), case.pk, "issue-fee-notice", basis="per_item", amount="100", on="2024-07-02"
    )
    assert on_time.status_code == 200


def test_a_consultation_after_the_deadline_adds_no_time_and_the_case_stays_overdue(api, handler):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    assert act(client, case.pk, "consult", party="某公司", on="2024-07-03").status_code == 200
    act(client, case.pk, "receive-opinion", on="2024-07-10")
    body = deadline(client, case)
    assert body["due_on"] == "2024-07-02"
    assert body["pauses"][0]["working_days"] == 0
    assert "届满后才征求意见" in body["pauses"][0]["note"]
    assert client.get(f"/api/cases/{case.pk}/").json()["is_overdue"] is True


def test_a_case_concluded_after_its_deadline_is_marked_answered_late(api, handler):
    client = api(handler)
    on_time = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    late = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    withdrawn = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    assert (
        act(client, on_time.pk, "answer", outcome="disclosed", on="2024-07-02").json()[
            "answered_late"
        ]
        is False
    )
    assert (
        act(client, late.pk, "answer", outcome="disclosed", on="2024-07-03").json()["answered_late"]
        is True
    )
    assert act(client, withdrawn.pk, "withdraw", on="2024-07-05").json()["answered_late"] is True
    listed = client.get("/api/cases/?answered_late=true").json()["results"]
    assert {row["id"] for row in listed} == {late.pk, withdrawn.pk}
    assert [row["id"] for row in client.get("/api/cases/?answered_late=false").json()["results"]]


# 4. 国办函〔2020〕109号 applies from 2021-01-01, and not to cases under the 2008 text.


def test_no_fee_notice_before_2021(api, handler):
    case = reviewed(handler, D(2020, 12, 1), D(2020, 12, 2))
    response = act(
        api(handler), case.pk, "issue-fee-notice", basis="per_item", amount="100", on="2020-12-31"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "fee_rules_not_applicable"
    assert "2021年1月1日" in response.json()["message"]


def test_no_fee_under_the_2008_regulations(api, handler):
    case = reviewed(handler, D(2019, 5, 6), D(2019, 5, 7))
    response = act(
        api(handler), case.pk, "issue-fee-notice", basis="per_item", amount="100", on="2019-05-08"
    )
    assert response.status_code == 409
    assert "2008年施行" in response.json()["message"]


# 5. The 2008 text's own articles, and every basis naming its statute.


@pytest.mark.parametrize(
    "received, outcome, basis",
    [
        (D(2018, 3, 5), "disclosed", f"{STATUTE_2008}第二十一条第（一）项"),
        (D(2018, 3, 5), "withheld_state_secret", f"{STATUTE_2008}第十四条"),
        (D(2018, 3, 5), "partially_disclosed", f"{STATUTE_2008}第二十二条"),
        (D(2024, 6, 3), "disclosed", f"{STATUTE_2019}第三十六条第（二）项"),
        (D(2024, 6, 3), "withheld_state_secret", f"{STATUTE_2019}第十四条"),
    ],
)
def test_the_default_basis_cites_the_text_that_applies(api, handler, received, outcome, basis):
    case = reviewed(handler, received, received + dt.timedelta(days=1))
    response = act(
        api(handler),
        case.pk,
        "answer",
        outcome=outcome,
        reason="涉及国家秘密",
        on=(received + dt.timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["legal_basis"] == basis


@pytest.mark.parametrize(
    "received, basis, ok",
    [
        (D(2018, 3, 5), "第四十条", False),  # the 2008 text has 38 articles
        (D(2018, 3, 5), "第三十八条", True),
        (D(2024, 6, 3), "第四十条", True),  # the 2019 text has 56
        (D(2024, 6, 3), "《中华人民共和国政府信息公开条例》第六十条", False),
        (D(2024, 6, 3), "《中华人民共和国保守国家秘密法》第九十条、《条例》第十四条", True),
        (D(2024, 6, 3), "依法不予公开", False),  # cites no article at all
    ],
)
def test_a_typed_basis_must_cite_articles_that_exist(api, handler, received, basis, ok):
    case = reviewed(handler, received, received + dt.timedelta(days=1))
    response = act(
        api(handler),
        case.pk,
        "answer",
        outcome="disclosed",
        legal_basis=basis,
        on=(received + dt.timedelta(days=2)).isoformat(),
    )
    if ok:
        assert response.status_code == 200 and response.json()["legal_basis"] == basis
    else:
        assert response.status_code == 400
        assert "legal_basis" in response.json()["fields"]


# 6. Outcomes that must fit the case.


def test_unclear_after_correction_needs_a_correction_notice(api, handler):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    refused = act(client, case.pk, "answer", outcome="unavailable_unclear_after_correction")
    assert refused.status_code == 400 and "outcome" in refused.json()["fields"]

    corrected = register_case(actor=handler, received_on=D(2024, 6, 3))
    corrected = services.case_request_correction(
        case=corrected, actor=handler, items="请写明文件名称", on=D(2024, 6, 4)
    )
    corrected = services.case_receive_correction(case=corrected, actor=handler, on=D(2024, 6, 6))
    corrected = services.case_review(case=corrected, actor=handler, on=D(2024, 6, 6))
    ok = act(client, corrected.pk, "answer", outcome="unavailable_unclear_after_correction")
    assert ok.status_code == 200


def test_not_responsible_needs_a_reason_and_may_name_the_competent_agency(api, handler):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    refused = act(client, case.pk, "answer", outcome="unavailable_not_responsible")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    competent = "福建省医疗保障局，电话0591-00000000"
    ok = act(
        client,
        case.pk,
        "answer",
        outcome="unavailable_not_responsible",
        reason="该信息由福建省医疗保障局制作并保存",
        competent_agency=competent,
    )
    assert ok.status_code == 200
    assert ok.json()["competent_agency"] == competent
    assert ok.json()["legal_basis"] == f"{STATUTE_2019}第三十六条第（五）项"

    other = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    wrong = act(client, other.pk, "answer", outcome="disclosed", competent_agency=competent)
    assert wrong.status_code == 400 and "competent_agency" in wrong.json()["fields"]


@pytest.mark.parametrize("outcome", ["not_processed_confirmation", "other"])
def test_outcomes_without_a_default_basis_need_the_offices_own(api, handler, outcome):
    client = api(handler)
    case = reviewed(handler, D(2024, 6, 3), D(2024, 6, 4))
    refused = act(client, case.pk, "answer", outcome=outcome)
    assert refused.status_code == 400 and "legal_basis" in refused.json()["fields"]
    basis = f"{STATUTE_2019}第三十九条第一款"
    ok = act(client, case.pk, "answer", outcome=outcome, legal_basis=basis)
    assert ok.status_code == 200 and ok.json()["legal_basis"] == basis


# 7. Every stored period that reaches into an unloaded year is provisional.

NEAR_YEAR_END = timezone.make_aware(dt.datetime(2026, 12, 22, 10, 0))


def test_the_applicants_periods_are_provisional_too(api, handler):
    with mock.patch.object(timezone, "now", return_value=NEAR_YEAR_END):
        client = api(handler)
        # Fee notice Mon 21 Dec 2026: 20 working days on a provisional 2027 (weekends and
        # New Year's Day off): 22-25 (4), 28-31 (8), 4-8 Jan (13), 11-15 (18), 18-19 Jan (20).
        case = reviewed(handler, D(2026, 12, 14), D(2026, 12, 14))
        fee = act(
            client, case.pk, "issue-fee-notice", basis="per_item", amount="100", on="2026-12-21"
        ).json()
        assert fee["fee_due_on"] == "2027-01-19" and fee["fee_due_on_provisional"] is True
        assert fee["due_on_provisional"] is True
        assert fee["correction_notice_due_on_provisional"] is False  # 23 Dec 2026
        lapse = act(client, case.pk, "lapse", on="2026-12-22")
        assert lapse.status_code == 409 and "暂定" in lapse.json()["fields"]["on"]

        corrected = register_case(actor=handler, received_on=D(2026, 12, 14))
        body = act(
            client, corrected.pk, "request-correction", items="请写明文件名称", on="2026-12-21"
        ).json()
        # The applicant's 15 working days: 22-25 (4), 28-31 (8), 4-8 Jan (13), 11-12 Jan (15).
        assert body["correction_due_on"] == "2027-01-12"
        assert body["correction_due_on_provisional"] is True
        explanation = deadline(client, corrected)["explanation"]
        assert any("申请人补正截止：2027-01-12（暂定" in line for line in explanation)


# 8. Only the head of the disclosure office approves an extension.


def test_an_agency_admin_who_is_not_the_approver_may_not_extend(api, agency_admin, approver):
    case = reviewed(agency_admin, D(2024, 6, 3), D(2024, 6, 4))
    payload = {"working_days": 5, "reason": "需调取档案", "on": "2024-06-20"}
    refused = act(api(agency_admin), case.pk, "extend", **payload)
    assert refused.status_code == 403 and "负责人" in refused.json()["message"]
    assert "extend" not in api(agency_admin).get(f"/api/cases/{case.pk}/").json()["actions"]
    approved = act(api(approver), case.pk, "extend", **payload)
    assert approved.status_code == 200
    assert Case.objects.get(pk=case.pk).extension_approved_by == approver
