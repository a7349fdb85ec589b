"""The deadline explanation: how the due date was reached, in sentences a clerk can read out at
a hearing (the admin, the API's /deadline/, the desk)."""

from __future__ import annotations

import datetime as dt

from .deadlines import STATUTE_2008_SHORT, Deadlines
from .fees import computation_lines

RULE_REASONABLE_PERIOD = (
    "《条例》第三十五条：申请理由合理，但无法在第三十三条规定的期限内答复的，"
    "可以确定延迟答复的合理期限并告知申请人"
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
        note = f"（{pause.note}）" if pause.note else ""
        lines.append(
            f"扣除：{what}，自{_d(pause.start)}次日起{until}，共{pause.working_days}个工作日"
            f"{note}。依据：{pause.rule}。"
        )
    extension_article = (
        "《条例》第三十三条第二款"
        if deadlines.regulations == "2019"
        else f"{STATUTE_2008_SHORT}第二十四条第二款"
    )
    if deadlines.extension_days:
        lines.append(
            f"延长：经负责人批准于{_d(deadlines.extended_on)}延期{deadlines.extension_days}个工作日。"
            f"依据：{extension_article}。"
        )
    elif not deadlines.extension_counted:
        lines.append(
            f"延期决定于{_d(deadlines.extended_on)}作出，晚于答复期限，不延长期限。"
            f"依据：{extension_article}（延期须在答复期限内经负责人同意并告知申请人）。"
        )
    if deadlines.reasonable_until:
        lines.append(
            f"合理期限：{_d(deadlines.reasonable_period_on)}确定延迟答复的合理期限至"
            f"{_d(deadlines.reasonable_until)}。依据：{RULE_REASONABLE_PERIOD}。"
        )
    for line in computation_lines(deadlines.fee_computation):
        lines.append(f"信息处理费：{line}依据：国办函〔2020〕109号。")
    for day in deadlines.special_days:
        kind = "放假" if day.kind == "holiday" else "调休上班"
        lines.append(f"期间{kind}：{_d(day.date)} {day.name}")
    if deadlines.due_on is not None:
        total = (
            deadlines.reply_days
            + sum(p.working_days for p in deadlines.pauses)
            + deadlines.extension_days
        )
        if deadlines.reasonable_until and deadlines.due_on == deadlines.reasonable_until:
            lines.append(f"答复期限：{_d(deadlines.due_on)}（《条例》第三十五条确定的合理期限）。")
        else:
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
    lines.extend(_delivery_lines(deadlines))
    for label, due, provisional in (
        ("申请人补正截止", deadlines.correction_due_on, deadlines.correction_due_provisional),
        ("征求意见截止", deadlines.opinion_due_on, deadlines.opinion_due_provisional),
        ("缴费截止", deadlines.fee_due_on, deadlines.fee_due_provisional),
    ):
        if due:
            mark = "（暂定：跨入尚未录入节假日安排的年度）" if provisional else ""
            lines.append(f"{label}：{_d(due)}{mark}。")
    return lines


def _delivery_lines(deadlines: Deadlines) -> list[str]:
    """Where the applicant's periods run from: the delivery recorded, or the issue assumed."""
    lines = []
    for notice, due, start, assumed in (
        (
            "补正告知",
            deadlines.correction_due_on,
            deadlines.correction_period_from,
            deadlines.correction_delivery_assumed,
        ),
        (
            "收费通知",
            deadlines.fee_due_on,
            deadlines.fee_period_from,
            deadlines.fee_delivery_assumed,
        ),
    ):
        if not due or not start:
            continue
        if assumed:
            lines.append(
                f"{notice}尚未登记送达日期，申请人的期限暂按发出之日{_d(start)}起算（推定送达）。"
            )
        else:
            lines.append(f"{notice}于{_d(start)}送达申请人，申请人的期限自该日起算。")
    return lines
