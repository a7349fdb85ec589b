"""An exported ledger imported into an empty agency gives the same annual tables: every step
the table depends on survives the trip (applicant type, the day of receipt, the day and kind
of conclusion), through the services on both sides."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import services
from cases.models import Case, Role

from ..factories import AgencyFactory, UserFactory, register_case
from .helpers import upload

D = dt.date
YEARS = range(2019, 2027)


def _answer(case, actor, on, outcome="disclosed", **extra):
    return services.case_answer(case=case, actor=actor, outcome=outcome, on=on, **extra)


def _reviewed(actor, received, reviewed, **fields):
    case = register_case(actor=actor, received_on=received, **fields)
    return services.case_review(case=case, actor=actor, on=reviewed)


def _history(admin, head):
    """Sixteen requests from 2019 to 2025, in every way a request can go, from applicants of
    every column of the table."""
    firm = {"applicant_type": "commercial_enterprise", "applicant_name": "福州某科技有限公司"}
    _answer(_reviewed(admin, D(2019, 3, 4), D(2019, 3, 5)), admin, D(2019, 3, 15))
    _answer(_reviewed(admin, D(2023, 6, 5), D(2023, 6, 6)), admin, D(2023, 6, 20))
    carried = _reviewed(admin, D(2023, 12, 27), D(2023, 12, 28), **firm)
    _answer(carried, admin, D(2024, 1, 10), "partially_disclosed", reason="涉及商业秘密")

    corrected = register_case(actor=admin, received_on=D(2024, 3, 4))
    corrected = services.case_request_correction(
        case=corrected, actor=admin, items="请写明文件名称", on=D(2024, 3, 5)
    )
    corrected = services.case_receive_correction(case=corrected, actor=admin, on=D(2024, 3, 12))
    corrected = services.case_review(case=corrected, actor=admin, on=D(2024, 3, 13))
    _answer(corrected, admin, D(2024, 3, 20), "unavailable_not_held")

    consulted = _reviewed(admin, D(2024, 4, 8), D(2024, 4, 9))
    consulted = services.case_consult(
        case=consulted, actor=admin, party="福州某人力资源服务有限公司", on=D(2024, 4, 10)
    )
    consulted = services.case_receive_opinion(
        case=consulted, actor=admin, opinion="不同意公开", on=D(2024, 4, 22)
    )
    _answer(consulted, admin, D(2024, 4, 30), "withheld_third_party_rights", reason="商业秘密")

    paid = _reviewed(admin, D(2024, 5, 6), D(2024, 5, 7))
    paid = services.case_issue_fee_notice(
        case=paid, actor=admin, basis="per_item", amount=Decimal("100"), on=D(2024, 5, 8)
    )
    paid = services.case_record_delivery(
        case=paid, actor=admin, notice="fee_notice", delivered_on=D(2024, 5, 10)
    )
    paid = services.case_receive_payment(case=paid, actor=admin, on=D(2024, 5, 15))
    _answer(paid, admin, D(2024, 5, 20))

    extended = _reviewed(admin, D(2024, 6, 3), D(2024, 6, 4))
    extended = services.case_extend(
        case=extended, actor=head, working_days=10, reason="需汇总多年数据", on=D(2024, 6, 25)
    )
    _answer(extended, admin, D(2024, 7, 10))

    withdrawn = register_case(actor=admin, received_on=D(2024, 7, 1))
    services.case_withdraw(case=withdrawn, actor=admin, on=D(2024, 7, 5))

    unanswered = register_case(actor=admin, received_on=D(2024, 8, 5))
    unanswered = services.case_request_correction(
        case=unanswered, actor=admin, items="请补充身份证明", on=D(2024, 8, 6)
    )
    services.case_lapse(case=unanswered, actor=admin, on=D(2024, 9, 2))

    unpaid = _reviewed(admin, D(2024, 9, 2), D(2024, 9, 3))
    unpaid = services.case_issue_fee_notice(
        case=unpaid, actor=admin, basis="per_page", amount=Decimal("50"), on=D(2024, 9, 4)
    )
    services.case_lapse(case=unpaid, actor=admin, on=D(2024, 11, 1))

    filed = _answer(
        _reviewed(admin, D(2024, 10, 8), D(2024, 10, 9)),
        admin,
        D(2024, 10, 15),
        "disclosed_already_public",
    )
    services.case_archive(case=filed, actor=admin, on=D(2024, 10, 20))

    welfare = {"applicant_type": "social_welfare_organization", "applicant_name": "某公益基金会"}
    late_withdrawal = register_case(actor=admin, received_on=D(2024, 11, 4), **welfare)
    services.case_withdraw(case=late_withdrawal, actor=admin, on=D(2025, 1, 6))

    _reviewed(admin, D(2024, 12, 20), D(2024, 12, 23))  # still open

    lab = {"applicant_type": "research_institution", "applicant_name": "某研究院"}
    _answer(
        _reviewed(admin, D(2025, 3, 3), D(2025, 3, 4), **lab),
        admin,
        D(2025, 3, 10),
        "not_processed_confirmation",
        legal_basis="《中华人民共和国政府信息公开条例》第三十九条第二款",
    )
    lawyers = {"applicant_type": "legal_service_institution", "applicant_name": "某律师事务所"}
    _answer(
        _reviewed(admin, D(2025, 4, 7), D(2025, 4, 8), **lawyers),
        admin,
        D(2025, 4, 15),
        "unavailable_not_responsible",
        reason="该信息由市医疗保障局制作并保存",
        competent_agency="福州市医疗保障局，电话0591-00000000",
    )
    club = {"applicant_type": "other_organization", "applicant_name": "某行业协会"}
    unclear = _reviewed(admin, D(2025, 6, 2), D(2025, 6, 3), **club)
    unclear = services.case_request_correction(
        case=unclear, actor=admin, items="请明确年份", on=D(2025, 6, 4)
    )
    unclear = services.case_receive_correction(case=unclear, actor=admin, on=D(2025, 6, 10))
    _answer(unclear, admin, D(2025, 6, 20), "unavailable_unclear_after_correction")


def _tables(client, code: str) -> dict[int, list]:
    tables = {}
    for year in YEARS:
        response = client.get(f"/api/reports/annual-table/?agency={code}&year={year}")
        table = response.json()
        tables[year] = [(row["key"], row["values"]) for row in table["rows"]]
    return tables


@pytest.mark.django_db
def test_an_exported_ledger_imported_into_an_empty_agency_gives_the_same_annual_tables(
    api, agency, agency_admin, approver, platform_admin
):
    _history(agency_admin, approver)
    assert Case.objects.count() == 16
    exported = api(agency_admin).get("/api/cases/export.xlsx?unmask=true")
    ledger = b"".join(exported.streaming_content)

    empty = AgencyFactory(code="XMRST", name="厦门市人力资源和社会保障局")
    response = upload(api(platform_admin), ledger, "台账.xlsx", agency="XMRST", dry_run=False)

    report = response.json()["report"]
    assert report["errors"] == []
    assert report["rows_created"] == 16
    assert Case.objects.filter(agency=empty).count() == 16
    client = api(platform_admin)
    original, copy = _tables(client, "FJRST"), _tables(client, "XMRST")
    assert copy == original
    assert dict(original[2024])["new_received"]["total"] == 10
    assert dict(original[2025])["carried_over_from_previous_year"]["total"] == 2


@pytest.mark.django_db
def test_the_csv_export_imports_too_and_into_its_own_agency_adds_nothing(
    api, agency, agency_admin, approver, platform_admin
):
    _history(agency_admin, approver)
    exported = api(agency_admin).get("/api/cases/export.csv?unmask=true")
    ledger = b"".join(exported.streaming_content)

    UserFactory(agency=AgencyFactory(code="NPRST", name="南平市人力资源和社会保障局"))
    elsewhere = upload(api(platform_admin), ledger, "台账.csv", agency="NPRST").json()["report"]
    assert (elsewhere["rows_created"], elsewhere["errors"]) == (16, [])

    home = upload(api(agency_admin), ledger, "台账.csv", dry_run=False).json()["report"]
    assert (home["rows_created"], home["rows_already_imported"]) == (0, 16)


@pytest.mark.django_db
def test_a_masked_export_does_not_pass_for_identity_numbers(api, agency_admin, approver):
    _history(agency_admin, approver)
    masked = b"".join(api(agency_admin).get("/api/cases/export.xlsx").streaming_content)
    head = UserFactory(agency=AgencyFactory(code="PTRST"), role=Role.AGENCY_ADMIN)

    report = upload(api(head), masked, "台账.xlsx").json()["report"]

    assert report["rows_created"] == 0
    assert {e["column"] for e in report["errors"]} == {"证件号码"}
