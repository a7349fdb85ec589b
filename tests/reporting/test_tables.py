"""The annual table from hand-built histories: every expected cell is counted by hand."""

import copy
import datetime as dt

import pytest

from cases.models import Case, Role
from reporting.tables import annual_table, default_template, table_checks, template_rows

from ..factories import UserFactory
from .histories import cells, log_case, only, values

pytestmark = pytest.mark.django_db

D = dt.date


def test_received_31_december_answered_1_january_counts_in_both_years(handler):
    log_case(handler, received=D(2023, 12, 31), concluded=D(2024, 1, 1))
    log_case(handler, received=D(2024, 12, 31), concluded=D(2024, 12, 31), outcome="disclosed")

    assert (
        only(
            annual_table(agency=handler.agency, year=2023),
            {
                "new_received": cells(natural_person=1),
                "carried_over_to_next_year": cells(natural_person=1),
            },
        )
        == {}
    )
    assert (
        only(
            annual_table(agency=handler.agency, year=2024),
            {
                "new_received": cells(natural_person=1),
                "carried_over_from_previous_year": cells(natural_person=1),
                "disclosed": cells(natural_person=2),
                "total_handled": cells(natural_person=2),
            },
        )
        == {}
    )


def test_case_carried_over_two_years(handler):
    log_case(
        handler, received=D(2022, 12, 20), concluded=D(2024, 2, 1), outcome="unavailable_not_held"
    )
    open_case = log_case(handler, received=D(2023, 6, 1))

    assert (
        only(
            annual_table(agency=handler.agency, year=2022),
            {
                "new_received": cells(natural_person=1),
                "carried_over_to_next_year": cells(natural_person=1),
            },
        )
        == {}
    )
    assert (
        only(
            annual_table(agency=handler.agency, year=2023),
            {
                "new_received": cells(natural_person=1),
                "carried_over_from_previous_year": cells(natural_person=1),
                "carried_over_to_next_year": cells(natural_person=2),
            },
        )
        == {}
    )
    assert (
        only(
            annual_table(agency=handler.agency, year=2024),
            {
                "carried_over_from_previous_year": cells(natural_person=2),
                "unavailable_not_held": cells(natural_person=1),
                "total_handled": cells(natural_person=1),
                "carried_over_to_next_year": cells(natural_person=1),
            },
        )
        == {}
    )
    assert open_case.is_open


def _withdrawn_and_lapsed(handler):
    log_case(handler, received=D(2024, 3, 1), concluded=D(2024, 3, 5), outcome="withdrawn")
    log_case(
        handler, received=D(2024, 4, 1), concluded=D(2024, 5, 6), outcome="other_no_correction"
    )
    log_case(handler, received=D(2024, 6, 3), concluded=D(2024, 8, 1), outcome="other_fee_unpaid")
    log_case(handler, received=D(2024, 6, 4), concluded=D(2024, 6, 20), outcome="other")


def test_withdrawn_and_lapsed_cases_in_the_2021_split_of_other(handler):
    _withdrawn_and_lapsed(handler)

    table = annual_table(agency=handler.agency, year=2024)

    assert table["template"] == "2021" == default_template(2024)
    assert (
        only(
            table,
            {
                "new_received": cells(natural_person=4),
                "other_no_correction": cells(natural_person=1),
                "other_fee_unpaid": cells(natural_person=1),
                "other": cells(natural_person=2),  # withdrawn + other
                "total_handled": cells(natural_person=4),
            },
        )
        == {}
    )
    assert [row["key"] for row in table["rows"]][-6:-2] == [
        "other_header", "other_no_correction", "other_fee_unpaid", "other"
    ]  # fmt: skip


def test_the_2019_template_sums_the_2021_split_into_one_row(handler):
    _withdrawn_and_lapsed(handler)

    table = annual_table(agency=handler.agency, year=2024, template="2019")

    assert table["template"] == "2019"
    assert "other_no_correction" not in {row["key"] for row in table["rows"]}
    assert (
        only(
            table,
            {
                "new_received": cells(natural_person=4),
                "other": cells(natural_person=4),
                "total_handled": cells(natural_person=4),
            },
        )
        == {}
    )


def test_partial_disclosure_counts_only_as_partial(handler):
    log_case(
        handler, received=D(2024, 5, 6), concluded=D(2024, 5, 20), outcome="partially_disclosed"
    )

    table = annual_table(agency=handler.agency, year=2024)

    assert values(table, "partially_disclosed")["total"] == 1
    assert values(table, "disclosed")["total"] == 0
    assert sum(
        row["values"].get("total", 0) for row in table["rows"] if row["kind"] == "count"
    ) == (
        1 + 1  # new_received and partially_disclosed; nothing else
    )


def test_each_applicant_type_has_its_column(handler):
    types_and_outcomes = {
        "natural_person": "disclosed",
        "commercial_enterprise": "disclosed_already_public",
        "research_institution": "withheld_state_secret",
        "social_welfare_organization": "unavailable_not_responsible",
        "legal_service_institution": "not_processed_duplicate",
        "other_organization": "withdrawn",
    }
    for applicant_type, outcome in types_and_outcomes.items():
        log_case(
            handler,
            received=D(2020, 9, 1),
            concluded=D(2020, 9, 10),
            outcome=outcome,
            applicant_type=applicant_type,
        )
    log_case(handler, received=D(2020, 12, 1), applicant_type="legal_service_institution")

    table = annual_table(agency=handler.agency, year=2020)

    assert table["template"] == "2019"
    assert only(
        table,
        {
            "new_received": cells(
                natural_person=1, commercial_enterprise=1, research_institution=1,
                social_welfare_organization=1, legal_service_institution=2, other_organization=1,
            ),
            "disclosed": cells(natural_person=1, commercial_enterprise=1),
            "withheld_state_secret": cells(research_institution=1),
            "unavailable_not_held": cells(social_welfare_organization=1),
            "not_processed_duplicate": cells(legal_service_institution=1),
            "other": cells(other_organization=1),
            "total_handled": cells(
                natural_person=1, commercial_enterprise=1, research_institution=1,
                social_welfare_organization=1, legal_service_institution=1, other_organization=1,
            ),
            "carried_over_to_next_year": cells(legal_service_institution=1),
        },
    ) == {}  # fmt: skip
    assert all(check["ok"] for check in table["checks"]), table["checks"]


def test_rows_columns_and_labels_follow_the_official_layout(handler):
    table = annual_table(agency=handler.agency, year=2021)

    assert [(r["key"], r["label"], r["kind"]) for r in table["rows"]] == [
        (r["key"], r["label"], r["kind"]) for r in template_rows("2021")
    ]
    assert [c["key"] for c in table["columns"]] == [
        "natural_person", "commercial_enterprise", "research_institution",
        "social_welfare_organization", "legal_service_institution", "other_organization", "total",
    ]  # fmt: skip
    for row in table["rows"]:
        assert (row["values"] == {}) == (row["kind"] == "header")


def test_the_table_costs_two_queries_whatever_the_number_of_cases(
    handler, django_assert_num_queries
):
    log_case(handler, received=D(2024, 2, 1), concluded=D(2024, 2, 5))
    with django_assert_num_queries(2):
        small = annual_table(agency=handler.agency, year=2024)
    for day in range(1, 21):
        log_case(handler, received=D(2024, 3, day), concluded=D(2024, 4, day), outcome="disclosed")
        log_case(handler, received=D(2023, 3, day), applicant_type="commercial_enterprise")
    with django_assert_num_queries(2):
        large = annual_table(agency=handler.agency, year=2024)
    with django_assert_num_queries(2):
        annual_table(agency=None, year=2024)
    assert values(small, "new_received")["total"] == 1
    assert values(large, "new_received")["total"] == 21


def test_roll_up_is_the_sum_of_the_agencies_tables(handler, other_agency):
    other = UserFactory(agency=other_agency, role=Role.HANDLER)
    log_case(handler, received=D(2024, 1, 10), concluded=D(2024, 1, 20))
    log_case(handler, received=D(2023, 11, 10))
    log_case(other, received=D(2024, 5, 10), concluded=D(2024, 6, 20), outcome="withdrawn")
    log_case(other, received=D(2024, 12, 30), applicant_type="research_institution")

    mine = annual_table(agency=handler.agency, year=2024)
    theirs = annual_table(agency=other_agency, year=2024)
    everyone = annual_table(agency=None, year=2024)

    assert everyone["agency"] == "all"
    for row, a, b in zip(everyone["rows"], mine["rows"], theirs["rows"], strict=True):
        assert row["values"] == {k: a["values"][k] + b["values"][k] for k in a["values"]}
    assert values(everyone, "new_received")["total"] == 3
    assert all(check["ok"] for check in everyone["checks"])


def test_an_outcome_without_a_row_fails_the_sum_check_and_says_so(handler):
    case = log_case(handler, received=D(2024, 2, 1), concluded=D(2024, 2, 5))
    # Legacy data from an import, say: an outcome the official layout does not know.
    Case.objects.filter(pk=case.pk).update(outcome="legacy_unknown")

    table = annual_table(agency=handler.agency, year=2024)

    check = next(c for c in table["checks"] if c["name"] == "outcomes_sum_to_total")
    assert check["ok"] is False
    assert "自然人：各项办理结果之和0≠总计1" in check["detail"]
    assert values(table, "total_handled")["total"] == 1


def test_balance_check_names_the_column_that_does_not_add_up(handler):
    log_case(handler, received=D(2024, 2, 1), concluded=D(2024, 2, 5))
    table = copy.deepcopy(annual_table(agency=handler.agency, year=2024))
    assert next(c for c in table["checks"] if c["name"] == "balance")["ok"] is True

    values(table, "carried_over_to_next_year")["commercial_enterprise"] = 2
    checks = table_checks(table, previous=None)

    balance = next(c for c in checks if c["name"] == "balance")
    assert balance["ok"] is False
    assert balance["detail"] == "商业企业：0+0≠0+2"


def test_carried_in_check_compares_with_the_previous_years_cases(handler):
    log_case(handler, received=D(2023, 12, 1))

    table = annual_table(agency=handler.agency, year=2024)

    check = next(c for c in table["checks"] if c["name"] == "carried_in_matches_previous_year")
    assert check["ok"] is True
    assert "上年度案件数据" in check["detail"]
