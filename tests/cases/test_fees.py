"""The 109号 fee through the API: the bands at their edges, per item over the applicant's
calendar month, per page per request; overrides, the older contract, waivers, bad input, and the
year's figures for section 六 of the annual report."""

import datetime as dt

import pytest

from cases import services
from cases.models import Case, CaseEvent

from ..factories import register_case, resident_id
from .helpers import act

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 2)
REVIEWED_ON = dt.date(2026, 3, 3)
NOTICE_ON = "2026-03-04"


def requests_of_one_applicant(actor, count, *, received_on=MARCH, id_number=None):
    """``count`` requests of one applicant received on one day, in order of registration."""
    id_number = id_number or resident_id()
    return [
        register_case(actor=actor, id_number=id_number, received_on=received_on)
        for _ in range(count)
    ]


def reviewed(case, actor):
    return services.case_review(case=case, actor=actor, on=max(REVIEWED_ON, case.received_on))


def notice(api, user, case, **payload):
    return act(api(user), case.pk, "issue-fee-notice", **{"on": NOTICE_ON, **payload})


@pytest.mark.parametrize(
    "position, amount",
    [(11, "100.00"), (30, "100.00"), (31, "200.00"), (40, "200.00"), (41, "300.00")],
)
def test_per_item_the_nth_request_of_the_month_costs_its_band(api, handler, position, amount):
    cases = requests_of_one_applicant(handler, position)
    case = reviewed(cases[-1], handler)

    response = notice(api, handler, case, basis="per_item", quantity=1)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["fee_amount"] == amount == body["fee_computed_amount"]
    assert body["fee_computation"]["first_position"] == position
    assert body["fee_entered_by_hand"] is False
    assert body["state"] == "awaiting_fee"
    assert any(f"第{position}件" in line for line in body["fee_explanation"])


def test_the_tenth_request_of_the_month_is_free_so_no_notice_is_sent(api, handler):
    case = reviewed(requests_of_one_applicant(handler, 10)[-1], handler)

    response = notice(api, handler, case, basis="per_item", quantity=1)

    assert response.status_code == 400
    assert "0元" in response.json()["fields"]["quantity"]
    assert "无需发出收费通知" in response.json()["fields"]["quantity"]
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_items_of_a_request_take_the_next_positions(api, handler):
    # 28 requests, the 29th split into 3 items: positions 29-31 cost 100 + 100 + 200.
    case = reviewed(requests_of_one_applicant(handler, 29)[-1], handler)
    body = notice(api, handler, case, basis="per_item", quantity=3).json()
    assert body["fee_amount"] == "400.00"
    bands = [(b["first"], b["last"], b["unit_price"]) for b in body["fee_computation"]["bands"]]
    assert bands == [(29, 30, 100), (31, 31, 200)]


def test_an_earlier_request_split_into_items_counts_as_that_many(api, handler):
    first, second = requests_of_one_applicant(handler, 2)
    first = reviewed(first, handler)
    # The first request of the month, split into 12 items: items 11 and 12 cost 100 each.
    assert notice(api, handler, first, basis="per_item", quantity=12).json()["fee_amount"] == (
        "200.00"
    )
    second = reviewed(second, handler)
    body = notice(api, handler, second, basis="per_item", quantity=1).json()
    assert body["fee_computation"]["first_position"] == 13
    assert body["fee_amount"] == "100.00"


def test_the_count_starts_again_with_the_calendar_month(api, handler):
    number = resident_id()
    requests_of_one_applicant(handler, 11, received_on=dt.date(2026, 3, 30), id_number=number)
    last_of_march = register_case(actor=handler, id_number=number, received_on=dt.date(2026, 3, 31))
    first_of_april = register_case(actor=handler, id_number=number, received_on=dt.date(2026, 4, 1))

    march_case = reviewed(last_of_march, handler)
    march = notice(api, handler, march_case, basis="per_item", quantity=1, on="2026-03-31")
    april_case = services.case_review(case=first_of_april, actor=handler, on=dt.date(2026, 4, 2))
    april = notice(api, handler, april_case, basis="per_item", quantity=1, on="2026-04-02")

    assert march.json()["fee_computation"]["first_position"] == 12
    assert march.json()["fee_amount"] == "100.00"
    assert april.status_code == 400  # the first request of April is free
    assert "第1件" in april.json()["fields"]["quantity"]


def test_other_applicants_and_agencies_do_not_count(api, handler, other_agency):
    from ..factories import UserFactory

    number = resident_id()
    outsider = UserFactory(agency=other_agency)
    requests_of_one_applicant(outsider, 15, id_number=number)  # same person, other agency
    requests_of_one_applicant(handler, 15)  # another person, same agency
    case = reviewed(register_case(actor=handler, id_number=number), handler)
    response = notice(api, handler, case, basis="per_item", quantity=10)
    assert response.status_code == 400  # positions 1-10 of this applicant here: free


@pytest.mark.parametrize(
    "pages, amount",
    [
        (31, "10.00"),
        (100, "700.00"),
        (101, "720.00"),
        (120, "1100.00"),
        (200, "2700.00"),
        (201, "2740.00"),
    ],
)
def test_per_page_bands(api, handler, pages, amount):
    case = reviewed(register_case(actor=handler), handler)
    body = notice(api, handler, case, basis="per_page", quantity=pages).json()
    assert body["fee_amount"] == amount
    assert body["fee_quantity"] == pages


def test_thirty_pages_are_free(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    response = notice(api, handler, case, basis="per_page", quantity=30)
    assert response.status_code == 400
    assert "无需发出收费通知" in response.json()["fields"]["quantity"]


def test_an_amount_that_disagrees_needs_a_reason_and_is_audited(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    refused = notice(api, handler, case, basis="per_page", quantity=120, amount="1000.00")
    assert refused.status_code == 400
    assert "1100.00" in refused.json()["fields"]["amount"]
    assert CaseEvent.objects.filter(case=case, action="issue_fee_notice").count() == 0

    accepted = notice(
        api,
        handler,
        case,
        basis="per_page",
        quantity=120,
        amount="1000.00",
        override_reason="其中20页为重复页，不计费",
    )

    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert (body["fee_amount"], body["fee_computed_amount"]) == ("1000.00", "1100.00")
    assert body["fee_override_reason"] == "其中20页为重复页，不计费"
    event = CaseEvent.objects.get(case=case, action="issue_fee_notice")
    assert event.data["override_reason"] == "其中20页为重复页，不计费"
    assert event.data["computed_amount"] == "1100.00"


def test_a_free_request_may_be_charged_only_with_a_reason_and_an_amount(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    no_amount = notice(api, handler, case, basis="per_item", quantity=1, override_reason="x")
    assert no_amount.status_code == 400 and "amount" in no_amount.json()["fields"]
    charged = notice(
        api, handler, case, basis="per_item", quantity=1, amount="100", override_reason="说明"
    )
    assert charged.status_code == 200
    assert charged.json()["fee_amount"] == "100.00"


def test_the_older_contract_records_the_amount_by_hand_beside_the_computed_one(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    response = notice(api, handler, case, basis="per_item", amount="300.00")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["fee_amount"] == "300.00"
    assert body["fee_entered_by_hand"] is True
    assert body["fee_computed_amount"] == "0.00"  # the first request of the month
    assert body["fee_quantity"] is None
    per_page = reviewed(register_case(actor=handler), handler)
    body = notice(api, handler, per_page, basis="per_page", amount="700.00").json()
    assert (body["fee_amount"], body["fee_computed_amount"]) == ("700.00", None)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"basis": "per_item", "quantity": 0}, "quantity"),
        ({"basis": "per_item", "quantity": -3}, "quantity"),
        ({"basis": "per_item", "quantity": 1.5}, "quantity"),
        ({"basis": "per_item", "quantity": "两件"}, "quantity"),
        ({"basis": "per_word", "quantity": 40}, "basis"),
        ({"basis": "per_page"}, "quantity"),
        ({"basis": "per_page", "quantity": 40, "amount": "-5"}, "amount"),
    ],
)
def test_bad_fee_input_is_refused_and_nothing_written(api, handler, payload, field):
    case = reviewed(register_case(actor=handler), handler)
    response = notice(api, handler, case, **payload)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    refreshed = Case.objects.get(pk=case.pk)
    assert (refreshed.state, refreshed.version) == ("reviewed", case.version)


def test_the_computation_is_in_the_deadline_explanation(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    notice(api, handler, case, basis="per_page", quantity=120)
    lines = api(handler).get(f"/api/cases/{case.pk}/deadline/").json()["explanation"]
    fee_line = next(line for line in lines if line.startswith("信息处理费"))
    assert "按量计收" in fee_line and "合计1100.00元" in fee_line and "109号" in fee_line


def paid(api, user, case, **payload):
    return act(api(user), case.pk, "receive-payment", on="2026-03-05", **payload)


def test_payment_in_full_with_a_receipt_number(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    notice(api, handler, case, basis="per_page", quantity=120)
    response = paid(api, handler, case, receipt_number="No.0012345")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["fee_paid_amount"], body["fee_receipt_number"]) == ("1100.00", "No.0012345")
    assert body["fee_waived_amount"] is None
    assert body["state"] == "reviewed"


def test_a_waiver_needs_its_reason(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    notice(api, handler, case, basis="per_page", quantity=120)
    refused = paid(api, handler, case, paid_amount="100.00")
    assert refused.status_code == 400 and "waiver_reason" in refused.json()["fields"]
    too_much = paid(api, handler, case, paid_amount="2000.00")
    assert too_much.status_code == 400 and "paid_amount" in too_much.json()["fields"]
    assert Case.objects.get(pk=case.pk).state == "awaiting_fee"

    response = paid(api, handler, case, paid_amount="100.00", waiver_reason="申请人为低保对象")

    body = response.json()
    assert (body["fee_paid_amount"], body["fee_waived_amount"]) == ("100.00", "1000.00")
    assert body["fee_waiver_reason"] == "申请人为低保对象"
    event = CaseEvent.objects.filter(case=case, action="receive_payment").get()
    assert event.data["waived_amount"] == "1000.00"


def test_a_full_waiver_ends_the_wait_for_payment(api, handler):
    case = reviewed(register_case(actor=handler), handler)
    notice(api, handler, case, basis="per_page", quantity=40)
    body = paid(api, handler, case, paid_amount="0", waiver_reason="特困人员，全额免收").json()
    assert body["state"] == "reviewed"
    assert (body["fee_paid_amount"], body["fee_waived_amount"]) == ("0.00", "100.00")


def test_fee_figures_for_section_six(api, handler, agency_admin, platform_admin, other_agency):
    from ..factories import UserFactory

    charged = reviewed(register_case(actor=handler), handler)
    notice(api, handler, charged, basis="per_page", quantity=120)  # 1,100
    paid(api, handler, charged)
    waived = reviewed(register_case(actor=handler), handler)
    notice(api, handler, waived, basis="per_page", quantity=40)  # 100
    paid(api, handler, waived, paid_amount="0", waiver_reason="低保对象")
    pending = reviewed(register_case(actor=handler), handler)
    notice(api, handler, pending, basis="per_page", quantity=31)  # 10, unpaid
    outsider = UserFactory(agency=other_agency, role="agency_admin")
    elsewhere = reviewed(register_case(actor=outsider), outsider)
    services.case_issue_fee_notice(
        case=elsewhere, actor=outsider, basis="per_page", quantity=50, on=dt.date(2026, 3, 4)
    )

    response = api(agency_admin).get("/api/reports/fee-figures/", {"year": 2026})

    assert response.status_code == 200, response.json()
    assert response.json() == [
        {
            "agency": "FJRST",
            "agency_name": "福建省人力资源和社会保障厅",
            "year": 2026,
            "notices": 3,
            "amount_charged": "1210.00",
            "amount_paid": "1100.00",
            "amount_waived": "100.00",
        }
    ]
    empty = api(agency_admin).get("/api/reports/fee-figures/", {"year": 2025}).json()
    assert empty[0]["notices"] == 0 and empty[0]["amount_charged"] == "0.00"
    assert (
        api(agency_admin).get("/api/reports/fee-figures/", {"agency": "FJJYT"}).status_code == 404
    )
    every = api(platform_admin).get("/api/reports/fee-figures/", {"year": 2026, "agency": "all"})
    assert [(row["agency"], row["amount_charged"]) for row in every.json()] == [
        ("FJJYT", "200.00"),
        ("FJRST", "1210.00"),
    ]
