"""The historical cases of 福建省人力资源和社会保障厅 (2018–2020), logged through the services.

The plan is ``data/seeds.toml``: a ledger written out by hand from the agency's published annual
reports for 2019 and 2020 (what it adds up to is summed up there), and the topics asked about.
Nothing here reads those reports, so the tests can hold the tables the logged cases produce
against independent copies of them.

``log_seed_cases`` expands the ledger with a seeded ``random.Random`` (names, identity numbers,
days of receipt, step dates) and logs every case as the clerks would have: the registrar
registers it and records incoming corrections and opinions; the handler reviews, asks for
corrections, consults and answers within the stored reply deadline. Every step goes through
``cases.services``, so each case is validated and audited. (The cases are left answered, not
archived: filing adds nothing to the tables and a fifth of the logging time.)
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction

from cases import services
from cases.calendar import work_calendar
from cases.models import Agency, Case, User
from cases.workdays import WorkCalendar
from demo import datafiles
from demo.applicants import NATURAL_PERSON, Applicant, PersonGenerator, named

# Ways of handling a request.
DIRECT = "direct"  # register → review → answer
CORRECTION = "correction"  # register → request correction → receive correction → review → answer
CONSULT = "consult"  # register → review → consult → receive opinion → answer
FLOWS = (DIRECT, CORRECTION, CONSULT)


@dataclass(frozen=True)
class Batch:
    """Requests received in ``year``, one per month listed in ``months``, of one applicant type,
    concluded with ``outcome``. ``carried_over``: received late in December and answered in
    January of the next year. ``topics`` names the pool of descriptions in TOPICS;
    ``applicants`` names an organisation's batch's applicants, one per case."""

    year: int
    applicant_type: str
    outcome: str
    months: tuple[int, ...]
    channels: tuple[str, ...]
    topics: str
    flow: str = DIRECT
    carried_over: bool = False
    applicants: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.months)

    def __post_init__(self) -> None:
        if self.flow not in FLOWS:
            raise ValueError(f"{self}: unknown flow")
        if self.carried_over and set(self.months) != {12}:
            raise ValueError(f"{self}: a carried-over request is received in December")
        if self.applicant_type == NATURAL_PERSON:
            if self.applicants:
                raise ValueError(f"{self}: natural persons are generated, not named")
        elif len(self.applicants) != self.count or any(
            named(name).applicant_type != self.applicant_type for name in self.applicants
        ):
            raise ValueError(f"{self}: one named {self.applicant_type} per case")


class Topic(NamedTuple):
    description: str
    reply: str = ""  # else the outcome's standard reply (REPLIES)
    reason: str = ""
    items: str = ""  # correction flow: what the correction notice asks for
    party: str = ""  # consult flow: who is consulted
    opinion: str = ""


def _batch(entry: dict[str, Any]) -> Batch:
    return Batch(
        **{
            **entry,
            "months": tuple(entry["months"]),
            "channels": tuple(entry["channels"]),
            "applicants": tuple(entry.get("applicants", ())),
        }
    )


_DATA = datafiles.read("seeds.toml")
SEED: int = _DATA["seed"]
CORRECTION_PERIOD_DAYS: int = _DATA["correction_period_days"]
ORAL_NOTE: str = _DATA["oral_note"]
CORRECTION_NOTE: str = _DATA["correction_note"]
DELIVERY: dict[str, str] = _DATA["delivery"]  # channel: delivery form of the reply
LEDGER: tuple[Batch, ...] = tuple(_batch(entry) for entry in _DATA["batch"])
REPLIES: dict[str, str] = _DATA["replies"]
TOPICS: dict[str, tuple[Topic, ...]] = {
    pool: tuple(Topic(**topic) for topic in topics) for pool, topics in _DATA["topics"].items()
}
YEARS: tuple[int, ...] = tuple(sorted({batch.year for batch in LEDGER}))


@dataclass
class PlannedCase:
    batch: Batch
    received_on: dt.date
    applicant: Applicant
    channel: str
    topic: Topic
    order: int  # position in the expanded ledger (ties of received_on keep it)

    @property
    def description(self) -> str:
        year = self.received_on.year
        return self.topic.description.format(y=year, p=year - 1)


# Expanding the ledger


def _working_days(cal: WorkCalendar, after: dt.date, until: dt.date) -> list[dt.date]:
    """The working days in (after, until]."""
    days = []
    for day in cal.working_days_after(after):
        if day > until:
            return days
        days.append(day)
    return days  # pragma: no cover - working_days_after never runs out first


def _receipt_day(cal: WorkCalendar, rng: random.Random, batch: Batch, month: int) -> dt.date:
    """A working day of the month: late December for a carried-over request; early December
    for one that must be answered within the year; otherwise any day up to the 28th."""
    first, last = 1, 28
    if month == 12:
        first, last = (18, 31) if batch.carried_over else (1, 11)
    start = dt.date(batch.year, month, first) - dt.timedelta(days=1)
    return rng.choice(_working_days(cal, start, dt.date(batch.year, month, last)))


def plan_cases(cal: WorkCalendar, rng: random.Random) -> list[PlannedCase]:
    """The ledger expanded into cases, in order of receipt."""
    persons = PersonGenerator(rng)
    next_topic: dict[str, int] = defaultdict(int)
    planned = []
    for batch in LEDGER:
        for i, month in enumerate(batch.months):
            pool = TOPICS[batch.topics]
            topic = pool[next_topic[batch.topics] % len(pool)]
            next_topic[batch.topics] += 1
            channel = batch.channels[i % len(batch.channels)]
            received_on = _receipt_day(cal, rng, batch, month)
            if batch.applicants:
                applicant = named(batch.applicants[i])
            else:
                applicant = persons.next(with_email=channel in ("online", "email"))
            planned.append(
                PlannedCase(
                    batch=batch,
                    received_on=received_on,
                    applicant=applicant,
                    channel=channel,
                    topic=topic,
                    order=len(planned),
                )
            )
    return sorted(planned, key=lambda p: (p.received_on, p.order))


# Logging


class _Clerks(NamedTuple):
    registrar: User
    handler: User


def _after(cal: WorkCalendar, day: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return cal.add_working_days(day, rng.randint(low, high))


def _answer_day(cal: WorkCalendar, rng: random.Random, case: Case, plan: PlannedCase) -> dt.date:
    """A working day after the last step, within the stored reply deadline, in the year of
    receipt (or in January of the next year for a carried-over request)."""
    year = plan.received_on.year + (1 if plan.batch.carried_over else 0)
    days = [d for d in _working_days(cal, case.latest_step_on, case.due_on) if d.year == year]
    if not days:
        raise RuntimeError(f"seed plan: no day to answer {case.reference} by {case.due_on}")
    return rng.choice(days)


def _log_case(
    plan: PlannedCase, *, agency: Agency, clerks: _Clerks, cal: WorkCalendar, rng: random.Random
) -> Case:
    batch, topic = plan.batch, plan.topic
    delivery = DELIVERY[plan.channel]
    case = services.case_register(
        actor=clerks.registrar,
        agency=agency,
        **plan.applicant.case_fields(),
        channel=plan.channel,
        received_on=plan.received_on,
        description=plan.description,
        delivery_form=delivery,
        note=ORAL_NOTE if plan.channel == "oral" else "",
    )
    handler = clerks.handler
    if batch.flow != CORRECTION:
        review_on = _after(cal, plan.received_on, 0, 2, rng)
    else:
        requested_on = _after(cal, plan.received_on, 1, 5, rng)
        case = services.case_request_correction(
            case=case,
            actor=handler,
            items=topic.items,
            period_days=CORRECTION_PERIOD_DAYS,
            on=requested_on,
        )
        corrected_on = _after(cal, requested_on, 3, 10, rng)
        case = services.case_receive_correction(
            case=case, actor=clerks.registrar, on=corrected_on, note=CORRECTION_NOTE
        )
        review_on = _after(cal, corrected_on, 0, 1, rng)
    case = services.case_review(case=case, actor=handler, on=review_on, handler=handler)
    if batch.flow == CONSULT:
        sent_on = _after(cal, review_on, 1, 3, rng)
        case = services.case_consult(case=case, actor=handler, party=topic.party, on=sent_on)
        case = services.case_receive_opinion(
            case=case,
            actor=clerks.registrar,
            opinion=topic.opinion,
            on=_after(cal, sent_on, 5, 12, rng),
        )
    reply = topic.reply or REPLIES[batch.outcome].format(
        description=plan.description,
        correction_requested_on=(
            _chinese_date(case.correction_requested_on) if case.correction_requested_on else ""
        ),
    )
    answered_on = _answer_day(cal, rng, case, plan)
    return services.case_answer(
        case=case,
        actor=handler,
        outcome=batch.outcome,
        on=answered_on,
        reply=reply,
        reason=topic.reason,
        delivery=delivery,
        defer=False,  # a historical record: the reply went out long ago
    )


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def has_seed_cases(agency: Agency) -> bool:
    return Case.objects.filter(agency=agency, received_on__year__in=YEARS).exists()


@transaction.atomic
def log_seed_cases(*, agency: Agency, registrar: User, handler: User) -> int:
    """Log the ledger's cases for the agency; return how many. Does nothing (returns 0) if the
    agency already has cases received in 2018–2020."""
    if has_seed_cases(agency):
        return 0
    cal = work_calendar()
    rng = random.Random(SEED)
    clerks = _Clerks(registrar, handler)
    planned = plan_cases(cal, rng)
    for plan in planned:
        _log_case(plan, agency=agency, clerks=clerks, cal=cal, rng=rng)
    return len(planned)
