"""The demo agency's recent cases (``data/demo.toml``), dated back from today in working days.

Whatever the day of loading, there are cases in every state, overdue, due today, due within 1, 3
and 5 working days, a correction notice due by the next working day, and correction, payment and
consultation periods that have run out. Each case is registered and handled only through
``cases.services``, so it is validated and audited as if the clerks had done it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from cases import clock, services
from cases.calendar import work_calendar
from cases.models import Agency, Case, User
from cases.workdays import WorkCalendar
from demo import datafiles
from demo.applicants import Applicant, named


class Step(NamedTuple):
    action: str  # a key of cases.services.ACTION_SERVICES
    day: int  # working days after receipt
    arguments: dict[str, Any]


class Scenario(NamedTuple):
    age: int  # working days before the anchor that the request arrived
    applicant: Applicant
    channel: str
    delivery_form: str
    description: str
    steps: tuple[Step, ...] = ()


def _step(entry: dict[str, Any]) -> Step:
    arguments = {key: value for key, value in entry.items() if key not in ("action", "day")}
    if "amount" in arguments:  # a fee: TOML has no decimals, the data file writes a string
        arguments["amount"] = Decimal(arguments["amount"])
    return Step(entry["action"], entry["day"], arguments)


def _scenario(entry: dict[str, Any]) -> Scenario:
    return Scenario(
        age=entry["age"],
        applicant=named(entry["applicant"]),
        channel=entry["channel"],
        delivery_form=entry["delivery_form"],
        description=entry["description"],
        steps=tuple(_step(step) for step in entry.get("step", ())),
    )


_DATA = datafiles.read("demo.toml")
SCENARIOS: tuple[Scenario, ...] = tuple(_scenario(entry) for entry in _DATA["scenario"])
# Who takes each action in the demo; everything else is the handler's.
ACTORS: dict[str, str] = _DATA["actors"]


def anchor_day(cal: WorkCalendar, today: dt.date) -> dt.date:
    """The last working day up to today: on a weekend or a holiday the demo stands as it stood
    at the end of the last working day (a case due that day is then overdue)."""
    while not cal.is_working_day(today):
        today -= dt.timedelta(days=1)
    return today


def working_days_before(cal: WorkCalendar, day: dt.date, count: int) -> dt.date:
    """The count-th working day before day, so that count working days from it end on day."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            count -= 1
    return day


def create_cases(*, agency: Agency, users: dict[str, User]) -> None:
    """Every scenario's case, the oldest first (it gets No. 1). ``users`` by demo username."""
    cal = work_calendar()
    anchor = anchor_day(cal, clock.today())
    for scenario in sorted(SCENARIOS, key=lambda s: -s.age):
        create_case(agency=agency, users=users, scenario=scenario, cal=cal, anchor=anchor)


def create_case(
    *,
    agency: Agency,
    users: dict[str, User],
    scenario: Scenario,
    cal: WorkCalendar,
    anchor: dt.date,
) -> Case:
    received_on = working_days_before(cal, anchor, scenario.age)
    case = services.case_register(
        actor=users["registrar"],
        agency=agency,
        **scenario.applicant.case_fields(),
        channel=scenario.channel,
        received_on=received_on,
        description=scenario.description,
        delivery_form=scenario.delivery_form,
    )
    for step in scenario.steps:
        arguments = dict(step.arguments)
        if step.action == "answer":
            arguments["delivery"] = scenario.delivery_form
        if step.action in ("answer", "extend"):
            # The demo records what the office did in the past: no document awaits it (the
            # replies' drafts are approved and issued afterwards by load_demo_documents).
            arguments["defer"] = False
        case = services.ACTION_SERVICES[step.action](
            case=case,
            actor=users[ACTORS.get(step.action, "handler")],
            on=cal.add_working_days(received_on, step.day),
            **arguments,
        )
    return case
