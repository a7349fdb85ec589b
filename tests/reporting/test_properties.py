"""Properties over random histories of cases logged through the services: every check holds in
every year, carried-out of Y is carried-in of Y+1, and the database's table is exactly what the
per-case rule (``TableEntry.cells``) says."""

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Role
from reporting.tables import (
    HANDLED,
    TOTAL,
    TableEntry,
    annual_table,
    applicant_types,
    column_keys,
    outcome_rows,
)

from ..factories import AgencyFactory, UserFactory
from .histories import log_case, values

pytestmark = pytest.mark.django_db

FIRST = dt.date(2021, 1, 1)
YEARS = range(2020, 2027)
OUTCOMES = [
    "disclosed",
    "partially_disclosed",
    "withheld_third_party_rights",
    "unavailable_not_held",
    "not_processed_duplicate",
    "other",
    "withdrawn",
]

histories = st.lists(
    st.tuples(
        st.sampled_from(applicant_types()),
        st.integers(min_value=0, max_value=4 * 365),  # received: days after 2021-01-01
        st.one_of(st.none(), st.integers(min_value=0, max_value=400)),  # concluded: days later
        st.sampled_from(OUTCOMES),
    ),
    max_size=10,
)


def expected_table(entries: list[TableEntry], year: int, template: str) -> dict[str, dict]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(column_keys(), 0))
    for entry in entries:
        for row, column in entry.cells(year):
            if row.startswith("outcome:"):
                for key in (outcome_rows(template)[row.removeprefix("outcome:")], HANDLED):
                    table[key][column] += 1
                    table[key][TOTAL] += 1
            else:
                table[row][column] += 1
                table[row][TOTAL] += 1
    return table


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories)
def test_random_histories_balance_and_carry_over(history):
    actor = UserFactory(agency=AgencyFactory(), role=Role.HANDLER)
    entries = []
    for applicant_type, received_days, concluded_days, outcome in history:
        received = FIRST + dt.timedelta(days=received_days)
        concluded = None
        if concluded_days is not None:
            concluded = received + dt.timedelta(days=concluded_days)
        case = log_case(
            actor,
            received=received,
            concluded=concluded,
            outcome=outcome,
            applicant_type=applicant_type,
        )
        entries.append(TableEntry.of(case))

    tables = {year: annual_table(agency=actor.agency, year=year) for year in YEARS}
    for year, table in tables.items():
        assert all(check["ok"] for check in table["checks"]), (year, table["checks"])
        expected = expected_table(entries, year, table["template"])
        for row in table["rows"]:
            if row["kind"] != "header":
                assert row["values"] == expected[row["key"]], (year, row["key"])
        if year + 1 in tables:
            assert values(table, "carried_over_to_next_year") == values(
                tables[year + 1], "carried_over_from_previous_year"
            )
