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


def under_2019_regulations(received_on: dt.date) -> bool:
    """Requests received before 15 May 2019 keep the periods of the 2008 Regulations."""
    return received_on >= REGULATIONS_2019_IN_FORCE


def max_extension_days(received_on: dt.date) -> int:
    return MAX_EXTENSION_DAYS if under_2019_regulations(received_on) else MAX_EXTENSION_DAYS_2008


@dataclass(frozen=True)
class CaseFacts:
    """What the clock depends on, taken from a case and its audit trail."""

    received_on: dt.date
    correction_requested_on: dt.date | None = None
    correction_period_days: int | None = None
    correction_received_on: dt.date | None = None
    # Every consultation round: (letter sent, opinion received or None while waiting).
    consultations: tuple[tuple[dt.date, dt.date | None], ...] = ()
    fee_notice_on: dt.date | None = None
    fee_paid_on: dt.date | None = None
    extension_days: int = 0
    extended_on: dt.date | None = None
    concluded: bool = False


@dataclass(frozen=True)
class Pause:
    kind: str  # "consultation" or "fee"
    rule: str
    start: dt.date  # the day the letter or notice went out (not counted)
    end: dt.date  # the last paused day counted
    limit_on: dt.date  # when the other side's period runs out
    ongoing: bool  # still waiting: counted up to limit_on
    working_days: int


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


def compute_deadlines(facts: CaseFacts, cal: WorkCalendar) -> Deadlines:
    regulations_2019 = under_2019_regulations(facts.received_on)
    reply_days = REPLY_DAYS if regulations_2019 else REPLY_DAYS_2008

    correction_notice_due_on = None
    if regulations_2019:
        # Art. 30: the correction notice is due within 7 working days of receipt.
        correction_notice_due_on = cal.add_working_days(facts.received_on, CORRECTION_NOTICE_DAYS)
    correction_notice_late = bool(
        correction_notice_due_on
        and facts.correction_requested_on
        and facts.correction_requested_on > correction_notice_due_on
    )
    correction_due_on = None
    if facts.correction_requested_on and facts.correction_period_days:
        correction_due_on = cal.add_working_days(
            facts.correction_requested_on, facts.correction_period_days
        )

    pauses = []
    opinion_due_on = None
    for sent, received in facts.consultations:
        # Art. 32: 15 working days for the opinion. Art. 33(3): consultation time is not counted.
        limit = cal.add_working_days(sent, OPINION_DAYS)
        end = received or limit
        pauses.append(
            Pause(
                kind="consultation",
                rule="《条例》第三十二条、第三十三条第三款：征求意见所需时间不计算在答复期限内",
                start=sent,
                end=end,
                limit_on=limit,
                ongoing=received is None,
                working_days=cal.working_days_between(sent, end),
            )
        )
        opinion_due_on = limit if received is None else None
    fee_due_on = None
    if facts.fee_notice_on:
        # 国办函〔2020〕109号: 20 working days to pay; the waiting time is not counted.
        limit = cal.add_working_days(facts.fee_notice_on, FEE_PAYMENT_DAYS)
        end = facts.fee_paid_on or limit
        pauses.append(
            Pause(
                kind="fee",
                rule="《政府信息公开信息处理费管理办法》：自收费通知至缴费的时间不计算在答复期限内",
                start=facts.fee_notice_on,
                end=end,
                limit_on=limit,
                ongoing=facts.fee_paid_on is None,
                working_days=cal.working_days_between(facts.fee_notice_on, end),
            )
        )
        fee_due_on = limit if facts.fee_paid_on is None else None

    waiting_for_correction = bool(
        facts.correction_requested_on and not facts.correction_received_on and not facts.concluded
    )
    if facts.correction_received_on:
        # Art. 30: the reply period runs from the day the corrected request arrives.
        start_on = facts.correction_received_on
        start_rule = "《条例》第三十条：自收到补正的申请之日起计算"
    else:
        start_on = facts.received_on
        start_rule = (
            "《条例》第三十三条第二款：自收到申请之日起20个工作日内答复"
            if regulations_2019
            else "2007年《条例》第二十四条：自收到申请之日起15个工作日内答复"
        )

    due_on = None
    special: list[SpecialDay] = []
    provisional_years: list[int] = []
    if not waiting_for_correction:
        total = reply_days + sum(p.working_days for p in pauses) + facts.extension_days
        due_on = cal.add_working_days(start_on, total)
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
        correction_notice_due_on=correction_notice_due_on,
        correction_notice_late=correction_notice_late,
        correction_due_on=correction_due_on,
        opinion_due_on=opinion_due_on,
        fee_due_on=fee_due_on,
        pauses=pauses,
        extension_days=facts.extension_days,
        extended_on=facts.extended_on,
        special_days=special,
    )


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def explain(deadlines: Deadlines) -> list[str]:
    """How the due date was reached, in sentences a clerk can read out at a hearing."""
    lines = []
    if deadlines.due_on is None:
        lines.append(deadlines.start_rule)
    else:
        lines.append(
            f"起算：{_d(deadlines.start_on)}（当日不计入，自次日起算）。依据：{deadlines.start_rule}。"
            f"基本期限{deadlines.reply_days}个工作日。"
        )
    for pause in deadlines.pauses:
        what = "征求第三方或其他机关意见" if pause.kind == "consultation" else "等待缴纳信息处理费"
        until = (
            f"尚未结束，暂按期限届满日{_d(pause.limit_on)}计至该日"
            if pause.ongoing
            else f"至{_d(pause.end)}（含）"
        )
        lines.append(
            f"扣除：{what}，自{_d(pause.start)}次日起{until}，共{pause.working_days}个工作日。"
            f"依据：{pause.rule}。"
        )
    if deadlines.extension_days:
        lines.append(
            f"延长：经负责人批准于{_d(deadlines.extended_on)}延期{deadlines.extension_days}个工作日。"
            "依据：《条例》第三十三条第二款。"
        )
    for day in deadlines.special_days:
        kind = "放假" if day.kind == "holiday" else "调休上班"
        lines.append(f"期间{kind}：{_d(day.date)} {day.name}")
    if deadlines.due_on is not None:
        total = (
            deadlines.reply_days
            + sum(p.working_days for p in deadlines.pauses)
            + deadlines.extension_days
        )
        lines.append(f"答复期限：{_d(deadlines.due_on)}（起算日后第{total}个工作日）。")
    if deadlines.provisional:
        years = "、".join(str(y) for y in deadlines.provisional_years)
        lines.append(
            f"暂定：{years}年的国务院节假日安排尚未录入，按周末及法定节日推算；录入后将自动重新计算。"
        )
    if deadlines.correction_notice_due_on:
        late = "（补正告知晚于该期限）" if deadlines.correction_notice_late else ""
        lines.append(
            f"补正告知期限：{_d(deadlines.correction_notice_due_on)}{late}。依据：《条例》第三十条。"
        )
    for label, due in (
        ("申请人补正截止", deadlines.correction_due_on),
        ("第三方意见截止", deadlines.opinion_due_on),
        ("缴费截止", deadlines.fee_due_on),
    ):
        if due:
            lines.append(f"{label}：{_d(due)}。")
    return lines
