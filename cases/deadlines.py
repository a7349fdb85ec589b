"""Statutory deadlines of a case (pure functions over a WorkCalendar).

Every rule cites its article of the 《政府信息公开条例》 (2019) unless noted. The due dates are
stored on the case when a transition or the calendar changes; this module only computes them,
with an explanation a clerk can defend in a reconsideration hearing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .workdays import WorkCalendar

REGULATIONS_2019_IN_FORCE = dt.date(2019, 5, 15)
REPLY_DAYS = 20  # Art. 33(2): reply within 20 working days of receipt
REPLY_DAYS_2008 = 15  # 2008 Regulations Art. 24: 15 working days
MAX_EXTENSION_DAYS = 20  # Art. 33(2): extended once, by at most 20 working days
MAX_EXTENSION_DAYS_2008 = 15  # 2008 Regulations Art. 24: at most 15
CORRECTION_NOTICE_DAYS = 7  # Art. 30: correction notice within 7 working days of receipt
OPINION_DAYS = 15  # Art. 32: the third party answers within 15 working days
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号: pay within 20 working days of the fee notice
FEE_RULES_IN_FORCE = dt.date(2021, 1, 1)  # 国办函〔2020〕109号 applies from this day
# The 2008 text, as the clock's rules and explanations cite it (cases.vocabulary names it too).
STATUTE_2008_SHORT = "2008年施行的《条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def under_2019_regulations(received_on: dt.date) -> bool:
    """Requests received before 15 May 2019 keep the rules of the 2008 Regulations."""
    return received_on >= REGULATIONS_2019_IN_FORCE


def regulations_of(received_on: dt.date) -> str:
    return "2019" if under_2019_regulations(received_on) else "2008"


def max_extension_days(received_on: dt.date) -> int:
    return MAX_EXTENSION_DAYS if under_2019_regulations(received_on) else MAX_EXTENSION_DAYS_2008


def fee_rules_apply(*, received_on: dt.date, on: dt.date) -> str | None:
    """Why a fee notice is impossible here, or None. 国办函〔2020〕109号 applies from 2021-01-01
    and to requests under the 2019 Regulations only."""
    if not under_2019_regulations(received_on):
        return "2019年5月15日前收到的申请适用2008年施行的《条例》，不适用信息处理费"
    if on < FEE_RULES_IN_FORCE:
        return f"{FEE_MEASURES}自2021年1月1日起施行，此前不得收取信息处理费"
    return None


class PartyKind:
    THIRD_PARTY = "third_party"  # Art. 32: a third party whose rights are concerned
    AGENCY = "agency"  # Art. 34: another agency that made or shares the information


@dataclass(frozen=True)
class Consultation:
    sent: dt.date
    received: dt.date | None = None
    party_kind: str = PartyKind.THIRD_PARTY


@dataclass(frozen=True)
class CaseFacts:
    """What the clock depends on, taken from a case and its audit trail."""

    received_on: dt.date
    correction_requested_on: dt.date | None = None
    correction_period_days: int | None = None
    correction_received_on: dt.date | None = None
    # Every consultation round: (letter sent, opinion received or None while waiting), or a
    # Consultation, which also names who was consulted.
    consultations: tuple[Consultation | tuple[dt.date, dt.date | None], ...] = ()
    fee_notice_on: dt.date | None = None
    fee_paid_on: dt.date | None = None
    # The day each notice reached the applicant (送达); the applicant's period runs from it.
    correction_notice_delivered_on: dt.date | None = None
    fee_notice_delivered_on: dt.date | None = None
    extension_days: int = 0
    extended_on: dt.date | None = None
    concluded: bool = False
    # Art. 35: the later reply date the office set, and the day it did.
    reasonable_until: dt.date | None = None
    reasonable_period_on: dt.date | None = None
    # The fee's stored computation (cases.fees), shown in the explanation.
    fee_computation: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pause:
    kind: str  # "consultation" or "fee"
    rule: str
    start: dt.date  # the day the letter or notice went out (not counted)
    end: dt.date  # the last paused day counted
    limit_on: dt.date  # when the other side's period runs out
    ongoing: bool  # still waiting: counted up to limit_on
    working_days: int
    # Why this pause counts nothing or less than it lasted ("" when it counts in full).
    note: str = ""


@dataclass(frozen=True)
class SpecialDay:
    date: dt.date
    kind: str  # "holiday" or "workday"
    name: str


@dataclass(frozen=True)
class Deadlines:
    regulations: str  # "2019" or "2008"
    reply_days: int
    start_on: dt.date | None
    start_rule: str
    due_on: dt.date | None  # None while the clock waits for a correction
    provisional: bool
    provisional_years: list[int]
    correction_notice_due_on: dt.date | None
    correction_notice_late: bool
    correction_due_on: dt.date | None
    opinion_due_on: dt.date | None
    fee_due_on: dt.date | None
    pauses: list[Pause] = field(default_factory=list)
    extension_days: int = 0
    extended_on: dt.date | None = None
    special_days: list[SpecialDay] = field(default_factory=list)
    # The applicant's and the other side's periods, provisional like due_on when they reach
    # into a year whose holiday notice is not loaded.
    correction_notice_due_provisional: bool = False
    correction_due_provisional: bool = False
    opinion_due_provisional: bool = False
    fee_due_provisional: bool = False
    # An extension decided after the reply deadline adds nothing (Art. 33).
    extension_counted: bool = True
    # Where the applicant's periods run from: the notice's delivery, or, until a delivery is
    # recorded, its issue (assumed).
    correction_period_from: dt.date | None = None
    correction_delivery_assumed: bool = False
    fee_period_from: dt.date | None = None
    fee_delivery_assumed: bool = False
    # Art. 35: the reply date set as a reasonable period, when it is later than the Art. 33 one.
    reasonable_until: dt.date | None = None
    reasonable_period_on: dt.date | None = None
    fee_computation: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def working_days_left(due_on: dt.date, *, today: dt.date, cal: WorkCalendar) -> int:
    """Working days from today to the due date; negative (at least -1) once it has passed."""
    if today <= due_on:
        return cal.working_days_between(today, due_on)
    return -max(1, cal.working_days_between(due_on, today))


def is_overdue(case, *, today: dt.date) -> bool:
    """Overdue is derived, never stored: open after its due date."""
    return case.is_open and case.due_on is not None and today > case.due_on


def _period(cal: WorkCalendar, start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The last day of a period of working days from start, and whether it is provisional."""
    end = cal.add_working_days(start, days)
    return end, bool(cal.provisional_years(start, end))


def _consultation_rounds(facts: CaseFacts) -> list[Consultation]:
    return [c if isinstance(c, Consultation) else Consultation(*c) for c in facts.consultations]


RULE_CONSULTATION = "《条例》第三十二条、第三十三条第三款：征求意见所需时间不计算在答复期限内"
RULE_CONSULTATION_AGENCY = (
    "《条例》第三十四条、第三十三条第三款：征求其他机关意见所需时间不计算在答复期限内"
)
RULE_CONSULTATION_2008 = (
    f"{STATUTE_2008_SHORT}第二十三条、第二十四条第三款：征求第三方意见所需时间不计算在答复期限内"
)
RULE_FEE = f"{FEE_MEASURES}：自收费通知至缴费的时间不计算在答复期限内"


def _consultation_pause(
    cal: WorkCalendar, round_: Consultation, *, regulations_2019: bool, due_so_far: dt.date | None
) -> Pause:
    # Art. 32 / Art. 34: the third party or the other agency has 15 working days; the time not
    # counted (Art. 33) ends at the opinion's arrival or the end of that period, whichever is
    # first.
    limit = cal.add_working_days(round_.sent, OPINION_DAYS)
    end = min(round_.received, limit) if round_.received else limit
    days = cal.working_days_between(round_.sent, end)
    note = ""
    if round_.received and round_.received > limit:
        note = f"意见晚于征求意见期限（{limit:%Y-%m-%d}）送达，只扣除至期限届满日"
    if not regulations_2019 and round_.party_kind == PartyKind.AGENCY:
        # 2008 Regulations Art. 24: only consulting a third party stops the clock.
        days, note = 0, "2008年施行的《条例》只扣除征求第三方意见的时间，征求其他机关意见不扣除"
    elif due_so_far is not None and round_.sent > due_so_far:
        days, note = 0, f"答复期限（{due_so_far:%Y-%m-%d}）届满后才征求意见，不扣除时间"
    if regulations_2019:
        agency = round_.party_kind == PartyKind.AGENCY
        rule = RULE_CONSULTATION_AGENCY if agency else RULE_CONSULTATION
    else:
        rule = RULE_CONSULTATION_2008
    return Pause(
        kind="consultation",
        rule=rule,
        start=round_.sent,
        end=end,
        limit_on=limit,
        ongoing=round_.received is None,
        working_days=days,
        note=note,
    )


def _fee_pause(cal: WorkCalendar, facts: CaseFacts, due_so_far: dt.date | None) -> Pause:
    # 国办函〔2020〕109号: 20 working days to pay; the waiting time is not counted, and it ends
    # with the period even when a late payment was accepted.
    notice = facts.fee_notice_on
    limit = cal.add_working_days(fee_period_from(facts), FEE_PAYMENT_DAYS)
    end = min(facts.fee_paid_on, limit) if facts.fee_paid_on else limit
    days = cal.working_days_between(notice, end)
    note = ""
    if facts.fee_paid_on and facts.fee_paid_on > limit:
        note = f"缴费晚于缴费期限（{limit:%Y-%m-%d}），只扣除至期限届满日"
    if due_so_far is not None and notice > due_so_far:
        days, note = 0, f"答复期限（{due_so_far:%Y-%m-%d}）届满后才发出收费通知，不扣除时间"
    return Pause(
        kind="fee",
        rule=RULE_FEE,
        start=notice,
        end=end,
        limit_on=limit,
        ongoing=facts.fee_paid_on is None,
        working_days=days,
        note=note,
    )


def _start(facts: CaseFacts, regulations_2019: bool) -> tuple[dt.date, str]:
    if facts.correction_received_on:
        # Art. 30: the reply period runs from the day the corrected request arrives.
        return facts.correction_received_on, "《条例》第三十条：自收到补正的申请之日起计算"
    if regulations_2019:
        return facts.received_on, "《条例》第三十三条第二款：自收到申请之日起20个工作日内答复"
    return (
        facts.received_on,
        f"{STATUTE_2008_SHORT}第二十四条第二款：自收到申请之日起15个工作日内答复",
    )


def correction_period_from(facts: CaseFacts) -> dt.date | None:
    # Art. 30 and the notice's own terms: the applicant corrects within the period from
    # receiving the notice; until its delivery is recorded, from the day it was issued.
    return facts.correction_notice_delivered_on or facts.correction_requested_on


def fee_period_from(facts: CaseFacts) -> dt.date | None:
    # 国办函〔2020〕109号: 20 working days from the day the applicant receives the fee notice.
    return facts.fee_notice_delivered_on or facts.fee_notice_on


def _correction_periods(facts: CaseFacts, cal: WorkCalendar, regulations_2019: bool):
    notice_due, notice_provisional = None, False
    if regulations_2019:
        # Art. 30: the correction notice is due within 7 working days of receipt.
        notice_due, notice_provisional = _period(cal, facts.received_on, CORRECTION_NOTICE_DAYS)
    late = bool(
        notice_due and facts.correction_requested_on and facts.correction_requested_on > notice_due
    )
    correction_due, correction_provisional = None, False
    if facts.correction_requested_on and facts.correction_period_days:
        correction_due, correction_provisional = _period(
            cal, correction_period_from(facts), facts.correction_period_days
        )
    return notice_due, notice_provisional, late, correction_due, correction_provisional


def _pauses_and_extension(
    facts: CaseFacts, cal: WorkCalendar, start_on: dt.date, reply_days: int, regulations_2019
) -> tuple[list[Pause], bool]:
    """The pauses and the extension in the order they happened.

    Each is weighed against the deadline as it stood on its day: a consultation begun or a fee
    notice issued after the deadline adds nothing, and so does an extension decided after it
    (Art. 33: the extension is approved and told within the period).
    """
    events: list[tuple[dt.date, int, object]] = [
        (round_.sent, 0, round_) for round_ in _consultation_rounds(facts)
    ]
    if facts.fee_notice_on:
        events.append((facts.fee_notice_on, 1, "fee"))
    if facts.extended_on and facts.extension_days:
        events.append((facts.extended_on, 2, "extension"))
    events.sort(key=lambda event: (event[0], event[1]))

    pauses: list[Pause] = []
    added = 0
    extension_counted = not (facts.extended_on and facts.extension_days)
    for day, _order, event in events:
        due_so_far = cal.add_working_days(start_on, reply_days + added)
        if event == "extension":
            if day <= due_so_far:
                added += facts.extension_days
                extension_counted = True
            continue
        if event == "fee":
            pause = _fee_pause(cal, facts, due_so_far)
        else:
            pause = _consultation_pause(
                cal, event, regulations_2019=regulations_2019, due_so_far=due_so_far
            )
        pauses.append(pause)
        added += pause.working_days
    return pauses, extension_counted


def compute_deadlines(facts: CaseFacts, cal: WorkCalendar) -> Deadlines:
    regulations_2019 = under_2019_regulations(facts.received_on)
    reply_days = REPLY_DAYS if regulations_2019 else REPLY_DAYS_2008
    notice_due, notice_provisional, notice_late, correction_due, correction_provisional = (
        _correction_periods(facts, cal, regulations_2019)
    )
    start_on, start_rule = _start(facts, regulations_2019)
    pauses, extension_counted = _pauses_and_extension(
        facts, cal, start_on, reply_days, regulations_2019
    )

    rounds = _consultation_rounds(facts)
    opinion_due, opinion_provisional = None, False
    if rounds and rounds[-1].received is None:
        opinion_due, opinion_provisional = _period(cal, rounds[-1].sent, OPINION_DAYS)
    fee_due, fee_provisional = None, False
    if facts.fee_notice_on and facts.fee_paid_on is None:
        fee_due, fee_provisional = _period(cal, fee_period_from(facts), FEE_PAYMENT_DAYS)

    waiting_for_correction = bool(
        facts.correction_requested_on and not facts.correction_received_on and not facts.concluded
    )
    due_on = None
    special: list[SpecialDay] = []
    provisional_years: list[int] = []
    extension_days = facts.extension_days if extension_counted else 0
    if not waiting_for_correction:
        total = reply_days + sum(p.working_days for p in pauses) + extension_days
        due_on = cal.add_working_days(start_on, total)
        # Art. 35: reasons found reasonable but no reply possible within the Art. 33 period:
        # the office sets a reasonable later date and tells the applicant.
        if facts.reasonable_until and facts.reasonable_until > due_on:
            due_on = facts.reasonable_until
        special = [SpecialDay(d, k, n) for d, k, n in cal.special_days(start_on, due_on)]
        provisional_years = cal.provisional_years(start_on, due_on)

    return Deadlines(
        regulations="2019" if regulations_2019 else "2008",
        reply_days=reply_days,
        start_on=None if waiting_for_correction else start_on,
        start_rule="等待补正：答复期限自收到补正的申请之日起重新计算"
        if waiting_for_correction
        else start_rule,
        due_on=due_on,
        provisional=bool(provisional_years),
        provisional_years=provisional_years,
        correction_notice_due_on=notice_due,
        correction_notice_late=notice_late,
        correction_due_on=correction_due,
        opinion_due_on=opinion_due,
        fee_due_on=fee_due,
        pauses=pauses,
        extension_days=extension_days,
        extended_on=facts.extended_on,
        special_days=special,
        correction_notice_due_provisional=notice_provisional,
        correction_due_provisional=correction_provisional,
        opinion_due_provisional=opinion_provisional,
        fee_due_provisional=fee_provisional,
        extension_counted=extension_counted,
        correction_period_from=correction_period_from(facts),
        correction_delivery_assumed=bool(
            facts.correction_requested_on and not facts.correction_notice_delivered_on
        ),
        fee_period_from=fee_period_from(facts),
        fee_delivery_assumed=bool(facts.fee_notice_on and not facts.fee_notice_delivered_on),
        reasonable_until=facts.reasonable_until,
        reasonable_period_on=facts.reasonable_period_on,
        fee_computation=facts.fee_computation,
    )
