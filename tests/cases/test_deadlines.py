"""Due dates across real holidays, checked by hand against the State Council notices.

Each expected date below was counted by hand from the published notice of its year (the day of
the event not counted; the N-th working day after it), not produced by the code under test.
"""

import datetime as dt

import pytest

from cases import services
from cases.calendar import work_calendar
from cases.deadlines import CaseFacts, compute_deadlines
from cases.models import Case

from ..factories import register_case

pytestmark = pytest.mark.django_db
D = dt.date


def reviewed(actor, received_on, reviewed_on):
    case = register_case(actor=actor, received_on=received_on)
    return services.case_review(case=case, actor=actor, on=reviewed_on)


def test_spring_festival_2020_with_its_extension(handler):
    # 2020-01-10 (Fri): 13-17 Jan (5), Sun 19 Jan worked (6), 20-23 Jan (10), 24 Jan-2 Feb off
    # (the extension notice added 31 Jan-2 Feb), 3-7 Feb (15), 10-14 Feb (20).
    case = register_case(actor=handler, received_on=D(2020, 1, 10))
    assert case.due_on == D(2020, 2, 14)
    assert case.due_on_provisional is False
    assert case.correction_notice_due_on == D(2020, 1, 20)  # 13-17 (5), Sun 19 (6), 20 (7)


def test_national_day_2020_with_adjusted_working_weekend_days(handler):
    # 2020-09-21 (Mon): 22-25 Sep (4), Sun 27 Sep worked (5), 28-30 Sep (8), 1-8 Oct off,
    # 9 Oct (9), Sat 10 Oct worked (10), 12-16 Oct (15), 19-23 Oct (20).
    assert register_case(actor=handler, received_on=D(2020, 9, 21)).due_on == D(2020, 10, 23)


def test_december_request_due_in_january(handler):
    # 2023-12-15 (Fri): 18-22 Dec (5), 25-29 Dec (10), 1 Jan 2024 off, 2-5 Jan (14),
    # 8-12 Jan (19), 15 Jan (20).
    assert register_case(actor=handler, received_on=D(2023, 12, 15)).due_on == D(2024, 1, 15)


def test_consultation_time_is_not_counted(handler):
    # Received 2024-03-01 (Fri): plain due date 29 Mar. Letter sent Mon 11 Mar, opinion Fri 15 Mar:
    # 12-15 Mar = 4 working days paused. 29 Mar + 4: 1-3 Apr (3), 4-6 Apr off (Qingming),
    # Sun 7 Apr worked (4).
    case = reviewed(handler, D(2024, 3, 1), D(2024, 3, 4))
    assert case.due_on == D(2024, 3, 29)
    case = services.case_consult(case=case, actor=handler, party="某公司", on=D(2024, 3, 11))
    # While waiting, the pause runs to the third party's limit: 11 Mar + 15 = 1 Apr.
    assert case.opinion_due_on == D(2024, 4, 1)
    assert case.due_on == D(2024, 4, 22)  # 29 Mar + 15: 1-3 Apr, 7 Apr, 8-12, 15-19, 22 Apr
    case = services.case_receive_opinion(case=case, actor=handler, on=D(2024, 3, 15))
    assert case.due_on == D(2024, 4, 7)
    assert case.opinion_due_on is None


def test_every_consultation_round_is_excluded(handler):
    case = reviewed(handler, D(2024, 3, 1), D(2024, 3, 4))
    case = services.case_consult(case=case, actor=handler, party="甲公司", on=D(2024, 3, 11))
    case = services.case_receive_opinion(case=case, actor=handler, on=D(2024, 3, 15))  # 4 days
    case = services.case_consult(case=case, actor=handler, party="乙公司", on=D(2024, 3, 18))
    case = services.case_receive_opinion(case=case, actor=handler, on=D(2024, 3, 20))  # 2 days
    # 29 Mar + 6: 1-3 Apr (3), Sun 7 Apr (4), 8 Apr (5), 9 Apr (6).
    assert case.due_on == D(2024, 4, 9)


def test_time_waiting_for_the_fee_is_not_counted(handler):
    # Received 2024-09-02 (Mon): 3-6 Sep (4), 9-13 Sep (9), Sat 14 Sep worked (10), 15-17 Sep off
    # (Mid-autumn), 18-20 Sep (13), 23-27 Sep (18), Sun 29 Sep worked (19), 30 Sep (20).
    case = reviewed(handler, D(2024, 9, 2), D(2024, 9, 3))
    assert case.due_on == D(2024, 9, 30)
    case = services.case_issue_fee_notice(
        case=case, actor=handler, basis="per_page", amount=700, on=D(2024, 9, 10)
    )
    # Payment period: 11-13 Sep (3), 14 Sep (4), 18-20 (7), 23-27 (12), 29-30 Sep (14),
    # 1-7 Oct off, 8-11 Oct (18), Sat 12 Oct worked (19), 14 Oct (20).
    assert case.fee_due_on == D(2024, 10, 14)
    case = services.case_receive_payment(case=case, actor=handler, on=D(2024, 9, 20))
    # Paused 11-13, 14, 18-20 Sep = 7 working days. 30 Sep + 7: 1-7 Oct off, 8-11 Oct (4),
    # Sat 12 Oct (5), 14-15 Oct (7).
    assert case.due_on == D(2024, 10, 15)
    assert case.fee_due_on is None


def test_extension_adds_its_working_days(approver):
    # Received 2024-05-06 (Mon): 7-10 May (4), Sat 11 May worked (5), 13-17 (10), 20-24 (15),
    # 27-31 May (20). +20: 3-7 Jun (5), 10 Jun off (Dragon Boat), 11-14 (9), 17-21 (14),
    # 24-28 (19), 1 Jul (20).
    case = reviewed(approver, D(2024, 5, 6), D(2024, 5, 7))
    assert case.due_on == D(2024, 5, 31)
    case = services.case_extend(
        case=case, actor=approver, working_days=20, reason="需调取档案", on=D(2024, 5, 20)
    )
    assert case.due_on == D(2024, 7, 1)


def test_correction_restarts_the_clock(handler):
    case = register_case(actor=handler, received_on=D(2024, 6, 3))
    # Notice due 7 working days after 3 Jun: 4-7 Jun (4), 10 Jun off, 11-13 Jun (7).
    assert case.correction_notice_due_on == D(2024, 6, 13)
    case = services.case_request_correction(
        case=case, actor=handler, items="请注明文号", period_days=15, on=D(2024, 6, 5)
    )
    assert case.due_on is None  # the reply clock waits for the corrected request
    # Applicant's period: 6-7 Jun (2), 11-14 (6), 17-21 (11), 24-27 Jun (15).
    assert case.correction_due_on == D(2024, 6, 27)
    case = services.case_receive_correction(case=case, actor=handler, on=D(2024, 6, 12))
    # 20 working days from 12 Jun: 13-14 (2), 17-21 (7), 24-28 (12), 1-5 Jul (17), 8-10 Jul (20).
    assert case.due_on == D(2024, 7, 10)


def test_requests_before_15_may_2019_keep_the_2008_periods(approver):
    # 2019-05-06 (Mon) + 15: 7-10 May (4), 13-17 (9), 20-24 (14), 27 May (15).
    case = reviewed(approver, D(2019, 5, 6), D(2019, 5, 7))
    assert case.due_on == D(2019, 5, 27)
    with pytest.raises(services.InvalidInput) as refused:
        services.case_extend(
            case=case, actor=approver, working_days=16, reason="x", on=D(2019, 5, 8)
        )
    assert "15" in refused.value.fields["working_days"]
    case = services.case_extend(
        case=case, actor=approver, working_days=15, reason="x", on=D(2019, 5, 8)
    )
    # +15: 28-31 May (4), 3-6 Jun (8), 7 Jun off (Dragon Boat), 10-14 (13), 17-18 Jun (15).
    assert case.due_on == D(2019, 6, 18)
    # The 2019 Regulations: 20 working days and no earlier.
    assert register_case(actor=approver, received_on=D(2019, 5, 15)).correction_notice_due_on


def test_the_working_saturday_before_new_year_2006(handler):
    # 2005-12-30 (Fri), 2008 periods: Sat 31 Dec worked (1), 1-3 Jan off, 4-6 Jan (4),
    # 9-13 (9), 16-20 (14), 23 Jan (15). No case can be received before 2008-05-01 (the
    # Regulations took effect then), so the clock is run on the facts directly.
    facts = CaseFacts(received_on=D(2005, 12, 30))
    assert compute_deadlines(facts, work_calendar()).due_on == D(2006, 1, 23)


def test_late_correction_notice_is_flagged(api, handler):
    case = register_case(actor=handler, received_on=D(2024, 6, 3))
    case = services.case_request_correction(case=case, actor=handler, items="x", on=D(2024, 6, 14))
    body = api(handler).get(f"/api/cases/{case.pk}/deadline/").json()
    assert body["correction_notice_due_on"] == "2024-06-13"
    assert body["correction_notice_late"] is True
    assert any("晚于" in line for line in body["explanation"])


def test_explanation_shows_rule_pauses_extension_and_holidays(api, approver):
    case = reviewed(approver, D(2024, 3, 1), D(2024, 3, 4))
    case = services.case_consult(case=case, actor=approver, party="某公司", on=D(2024, 3, 11))
    case = services.case_receive_opinion(case=case, actor=approver, on=D(2024, 3, 15))
    case = services.case_extend(
        case=case, actor=approver, working_days=5, reason="x", on=D(2024, 3, 18)
    )
    body = api(approver).get(f"/api/cases/{case.pk}/deadline/").json()
    assert body["start_on"] == "2024-03-01"
    assert body["reply_days"] == 20
    assert body["regulations"] == "2019"
    assert body["pauses"] == [
        {
            "kind": "consultation",
            "rule": body["pauses"][0]["rule"],
            "start": "2024-03-11",
            "end": "2024-03-15",
            "limit_on": "2024-04-01",
            "ongoing": False,
            "working_days": 4,
            "note": "",
        }
    ]
    assert "第三十二条" in body["pauses"][0]["rule"]
    assert body["extension_days"] == 5
    # 7 Apr + 5: 8-12 Apr.
    assert body["due_on"] == body["stored_due_on"] == "2024-04-12"
    assert {"date": "2024-04-04", "kind": "holiday", "name": "清明节"} in body["special_days"]
    assert {"date": "2024-04-07", "kind": "workday", "name": "清明节"} in body["special_days"]
    assert body["provisional"] is False
    text = "\n".join(body["explanation"])
    for fragment in ("2024-03-01", "第三十三条", "4个工作日", "延期5个工作日", "2024-04-12"):
        assert fragment in text


def test_api_shows_due_dates_and_overdue(api, handler):
    old = register_case(actor=handler, received_on=D(2024, 3, 1))
    body = api(handler).get(f"/api/cases/{old.pk}/").json()
    assert body["due_on"] == "2024-03-29"
    assert body["is_overdue"] is True
    assert body["working_days_left"] < 0
    assert body["due_on_provisional"] is False


def test_answered_case_is_not_overdue(api, handler):
    case = reviewed(handler, D(2024, 3, 1), D(2024, 3, 4))
    services.case_answer(case=case, actor=handler, outcome="disclosed", on=D(2024, 4, 30))
    body = api(handler).get(f"/api/cases/{case.pk}/").json()
    assert body["is_overdue"] is False and body["working_days_left"] is None


def test_stored_due_date_follows_a_corrected_receipt_date(api, handler):
    case = register_case(actor=handler, received_on=D(2023, 12, 15))
    response = api(handler).patch(
        f"/api/cases/{case.pk}/", {"received_on": "2020-01-10"}, format="json"
    )
    assert response.json()["due_on"] == "2020-02-14"
    assert Case.objects.get(pk=case.pk).due_on == D(2020, 2, 14)


@pytest.fixture
def on_20_march_2024():
    from unittest import mock

    from django.utils import timezone

    moment = dt.datetime(2024, 3, 20, 2, 0, tzinfo=dt.UTC)  # Wednesday, 10:00 in Shanghai
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def test_working_days_left_and_deadline_filters(api, handler, on_20_march_2024):
    # 2024-02-01 (Thu): 2 Feb (1), Sun 4 Feb worked (2), 5-9 (7), 10-17 off (Spring Festival),
    # Sun 18 Feb worked (8), 19-23 (13), 26-29 (17), 1 Mar (18), 4-5 Mar (20).
    late = register_case(actor=handler, received_on=D(2024, 2, 1), applicant_name="逾期")
    assert late.due_on == D(2024, 3, 5)
    register_case(actor=handler, received_on=D(2024, 3, 1), applicant_name="在办")
    waiting = register_case(actor=handler, received_on=D(2024, 3, 1), applicant_name="补正")
    services.case_request_correction(case=waiting, actor=handler, items="x", on=D(2024, 3, 4))
    done = reviewed(handler, D(2024, 2, 1), D(2024, 2, 2))
    services.case_answer(case=done, actor=handler, outcome="disclosed", on=D(2024, 3, 8))
    client = api(handler)

    by_name = {c["applicant_name"]: c for c in client.get("/api/cases/").json()["results"]}
    # Today 20 Mar: due 29 Mar is 21-22 (2), 25-29 (7) ahead; due 5 Mar is 6-8 (3), 11-15 (8),
    # 18-20 (11) behind.
    assert by_name["在办"]["working_days_left"] == 7
    assert by_name["在办"]["is_overdue"] is False
    assert by_name["逾期"]["working_days_left"] == -11
    assert by_name["逾期"]["is_overdue"] is True
    assert by_name["补正"]["due_on"] is None and by_name["补正"]["working_days_left"] is None

    def names(query):
        response = client.get(f"/api/cases/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(c["applicant_name"] for c in response.json()["results"])

    assert names("overdue=true") == ["逾期"]
    assert names("overdue=false") == sorted(["在办", "补正", "张三"])
    assert names("due_before=2024-03-10") == ["逾期"]
    assert names("due_before=2024-03-29") == ["在办", "逾期"]
    assert names("due_within=7") == ["在办", "逾期"]  # up to 29 Mar, overdue included
    assert names("due_within=6") == ["逾期"]
    assert client.get("/api/cases/?due_within=soon").status_code == 400


def test_lapse_only_after_the_period_ran_out(api, handler):
    case = register_case(actor=handler, received_on=D(2024, 6, 3))
    services.case_request_correction(
        case=case, actor=handler, items="x", period_days=15, on=D(2024, 6, 5)
    )  # the applicant has until 27 Jun
    early = api(handler).post(f"/api/cases/{case.pk}/lapse/", {"on": "2024-06-27"}, format="json")
    # Issue 13: refused as a step not yet possible (409), naming when it becomes possible.
    assert early.status_code == 409
    assert "2024-06-27" in early.json()["fields"]["on"]
    assert "自2024-06-28起方可登记逾期" in early.json()["message"]
    late = api(handler).post(f"/api/cases/{case.pk}/lapse/", {"on": "2024-06-28"}, format="json")
    assert late.status_code == 200
    assert late.json()["outcome"] == "other_no_correction"

    unpaid = reviewed(handler, D(2024, 9, 2), D(2024, 9, 3))
    services.case_issue_fee_notice(
        case=unpaid, actor=handler, basis="per_item", amount=100, on=D(2024, 9, 10)
    )  # payment due 14 Oct
    refused = api(handler).post(
        f"/api/cases/{unpaid.pk}/lapse/", {"on": "2024-10-14"}, format="json"
    )
    assert refused.status_code == 409
    ok = api(handler).post(f"/api/cases/{unpaid.pk}/lapse/", {"on": "2024-10-15"}, format="json")
    assert ok.json()["outcome"] == "other_fee_unpaid"
