"""The seed cases of 福建省人力资源和社会保障厅 reproduce its published 2019 and 2020 tables.

The references are copies of the tables in the agency's annual reports; the seed plan
(``demo.seeds.LEDGER``) is written independently of them, and the cases are logged only
through the lifecycle services. Logging the 121 cases takes seconds, so it happens once.
"""

import io
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import vocabulary
from cases.calendar import work_calendar
from cases.models import Agency, Case, CaseEvent, CaseState, Role, User
from demo import seeds
from reporting.tables import CARRIED_IN, CARRIED_OUT, annual_table, row_values

pytestmark = pytest.mark.django_db

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reporting" / "reference"
YEARS = (2019, 2020)
SEED_CASES = 121  # 1 received in 2018, 52 in 2019, 68 in 2020


def reference(year: int) -> dict:
    with (REFERENCE_DIR / f"fujian-hrss-{year}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_seed_cases", *args, stdout=out)
    return out.getvalue()


def seed_cases(agency: Agency):
    return Case.objects.filter(agency=agency, received_on__year__in=seeds.YEARS)


def snapshot():
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        User.objects.count(),
        list(Case.objects.order_by("pk").values_list("reference", "version", "state")),
    )


def assert_tables_equal_the_references(agency: Agency, output: str) -> None:
    tables = {}
    for year in YEARS:
        expected = reference(year)
        assert (expected["year"], expected["template"]) == (year, "2019")
        table = annual_table(agency=agency, year=year, template="2019")
        tables[year] = table
        rows = {row["key"]: row for row in table["rows"]}
        count_rows = {key for key, row in rows.items() if row["kind"] != "header"}
        assert count_rows == set(expected["rows"])
        for key, cells in expected["rows"].items():
            assert set(rows[key]["values"]) == set(cells), key
            for column, value in cells.items():
                assert rows[key]["values"][column] == value, (year, key, column)
        assert {check["name"] for check in table["checks"]} == {
            "balance",
            "outcomes_sum_to_total",
            "carried_in_matches_previous_year",
        }
        assert all(check["ok"] for check in table["checks"]), table["checks"]
        new = expected["rows"]["new_received"]["total"]
        carried_out = expected["rows"]["carried_over_to_next_year"]["total"]
        assert f"{year}年度：本年新收 {new} 件" in output
        assert f"结转下年度 {carried_out} 件" in output
    assert row_values(tables[2019], CARRIED_OUT) == row_values(tables[2020], CARRIED_IN)
    assert row_values(tables[2019], CARRIED_OUT)["total"] == 1


def assert_every_case_was_logged_through_the_services(
    agency: Agency, registrar: User, handler: User
) -> None:
    cal = work_calendar()
    cases = list(seed_cases(agency).prefetch_related("events"))
    assert len(cases) == SEED_CASES
    assert {case.state for case in cases} == {CaseState.ANSWERED}
    for case in cases:
        events = list(case.events.all())
        actions = [event.action for event in events]
        assert actions[0] == "register" and actions.count("register") == 1
        assert actions[-1] == "answer" and actions.count("answer") == 1
        assert "review" in actions
        dates = [event.on for event in events]
        assert dates == sorted(dates) and dates[0] == case.received_on
        assert events[0].actor == registrar
        answer = events[-1]
        assert (answer.actor, answer.on, answer.data["outcome"]) == (
            handler,
            case.answered_on,
            case.outcome,
        )
        # Received on a working day, answered within the stored statutory deadline.
        assert cal.is_working_day(case.received_on)
        assert case.due_on is not None and case.answered_on <= case.due_on
        assert case.reply and case.description and case.assigned_handler == handler
        if case.outcome in vocabulary.OUTCOMES_NEEDING_REASON:
            assert case.reason
        if case.outcome == "unavailable_unclear_after_correction":
            assert actions == [
                "register",
                "request_correction",
                "receive_correction",
                "review",
                "answer",
            ]
            assert case.correction_received_on <= case.correction_due_on
    assert len({case.id_number for case in cases}) == len({case.applicant_name for case in cases})
    # The reply period of a request received before 15 May 2019 is 15 working days.
    early = seed_cases(agency).get(received_on__year=2018)
    assert cal.working_days_between(early.received_on, early.due_on) == 15
    assert early.answered_on.year == 2019


def assert_the_cases_are_the_planned_ones(agency: Agency) -> None:
    """The plan is deterministic; the cases are the planned ones, numbered in order of receipt."""
    cal = work_calendar()
    plan = seeds.plan_cases(cal, random.Random(seeds.SEED))
    assert plan == seeds.plan_cases(cal, random.Random(seeds.SEED))
    logged = list(
        seed_cases(agency)
        .order_by("received_on", "reference")
        .values_list("applicant_name", "id_number", "received_on", "outcome", "channel")
    )
    assert logged == [
        (p.applicant.name, p.applicant.id_number, p.received_on, p.batch.outcome, p.channel)
        for p in plan
    ]
    for year in seeds.YEARS:
        references = list(
            seed_cases(agency)
            .filter(received_on__year=year)
            .order_by("received_on", "pk")
            .values_list("reference", flat=True)
        )
        assert references == sorted(references)
        assert references[0] == f"FJRST-{year}-00001"


def test_command_logs_cases_whose_tables_equal_the_references_once():
    output = load()

    agency = Agency.objects.get(code="FJRST")
    assert agency.name == "福建省人力资源和社会保障厅"
    assert f"已为福建省人力资源和社会保障厅登记历史申请 {SEED_CASES} 件" in output
    registrar = User.objects.get(agency=agency, role=Role.REGISTRAR)
    handler = User.objects.get(agency=agency, role=Role.HANDLER)
    assert (registrar.username, handler.username) == ("registrar", "handler")
    assert_tables_equal_the_references(agency, output)
    assert_every_case_was_logged_through_the_services(agency, registrar, handler)

    assert_the_cases_are_the_planned_ones(agency)

    # A second run reuses the clerks and logs nothing.
    before = snapshot()
    again = load("--agency", "FJRST")
    assert "未重复登记" in again
    assert snapshot() == before
    assert_tables_equal_the_references(agency, again)
    assert seeds.log_seed_cases(agency=agency, registrar=registrar, handler=handler) == 0


def test_an_unknown_agency_is_refused():
    with pytest.raises(CommandError, match="不存在"):
        load("--agency", "NOPE")
    assert not Case.objects.exists()
