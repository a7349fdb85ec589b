"""The date a request counts as received (收到申请之日, Art. 31), from the facts of its channel.

| channel | facts | received_on |
|---|---|---|
| in_person, oral | submitted_on | the day submitted |
| letter, mail_type "signed" (挂号信, EMS) | signed_on | the day the agency signed for it |
| letter, mail_type "ordinary" (平信) | arrived_on, confirmed_on | the day the office confirmed |
| online, email, fax | submitted_on, confirmed_on | the day both sides confirmed |

Pure functions, no Django. A client that gives no facts and only ``received_on`` (older clients,
imports) is accepted as before; facts that contradict a ``received_on`` given with them are
refused, naming the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SIGNED, ORDINARY = "signed", "ordinary"
MAIL_TYPES = ((SIGNED, "需签收（挂号信、EMS等）"), (ORDINARY, "无需签收（平信）"))
FACT_FIELDS = ("mail_type", "submitted_on", "signed_on", "arrived_on", "confirmed_on")
FACT_DATES = ("submitted_on", "signed_on", "arrived_on", "confirmed_on")

LABELS = {
    "submitted_on": "提交日期",
    "signed_on": "签收日期",
    "arrived_on": "信件到达日期",
    "confirmed_on": "双方确认日期",
    "mail_type": "邮件类别",
}

RULE_IN_PERSON = "《条例》第三十一条第（一）项：当面提交的，以提交之日为收到申请之日"
RULE_SIGNED = "《条例》第三十一条第（二）项：需要签收的邮寄申请，以行政机关签收之日为收到申请之日"
RULE_ORDINARY = (
    "《条例》第三十一条第（二）项：无需签收的邮寄申请，以行政机关与申请人确认之日为收到申请之日"
)
RULE_ONLINE = (
    "《条例》第三十一条第（三）项：通过互联网渠道或者政府信息公开工作机构的传真提交的，"
    "以双方确认之日为收到申请之日"
)


@dataclass(frozen=True)
class Receipt:
    received_on: dt.date | None
    rule: str
    # The facts recorded; the channel's needless facts are refused, never kept.
    facts: dict
    # Art. 31: the office confirms an ordinary letter on the day it arrives; a later
    # confirmation is accepted but flagged.
    late_confirmation: bool = False


def _needed(channel: str, mail_type: str) -> tuple[tuple[str, ...], str, str]:
    """The facts a channel records, the one that gives the date, and the rule."""
    if channel in ("in_person", "oral"):
        return ("submitted_on",), "submitted_on", RULE_IN_PERSON
    if channel == "letter":
        if mail_type == SIGNED:
            return ("mail_type", "signed_on"), "signed_on", RULE_SIGNED
        return ("mail_type", "arrived_on", "confirmed_on"), "confirmed_on", RULE_ORDINARY
    return ("submitted_on", "confirmed_on"), "confirmed_on", RULE_ONLINE


def derive_received_on(
    *,
    channel: str,
    received_on: dt.date | None,
    today: dt.date,
    earliest: dt.date,
    mail_type: str = "",
    submitted_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    arrived_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> tuple[Receipt | None, dict[str, str]]:
    """The receipt of a request, or the errors by field."""
    given = {
        "mail_type": mail_type,
        "submitted_on": submitted_on,
        "signed_on": signed_on,
        "arrived_on": arrived_on,
        "confirmed_on": confirmed_on,
    }
    present = {name: value for name, value in given.items() if value}
    if not present:
        if received_on is None:
            return None, {"received_on": "请填写收到申请日期，或按申请方式填写提交、签收、确认日期"}
        return Receipt(received_on, "", {}), {}

    errors: dict[str, str] = {}
    if mail_type and channel != "letter":
        errors["mail_type"] = "只有信函申请需要填写邮件类别"
    if channel == "letter" and mail_type not in (SIGNED, ORDINARY):
        errors["mail_type"] = "信函申请请选择邮件类别：signed（需签收）或 ordinary（平信）"
    needed, gives_date, rule = _needed(channel, mail_type)
    for name in FACT_DATES:
        if name in present and name not in needed:
            errors[name] = f"该申请方式不记录{LABELS[name]}"
    for name in FACT_DATES:
        day = present.get(name)
        if day is None or name in errors:
            continue
        if day > today:
            errors[name] = f"{LABELS[name]}不能晚于今天"
        elif day < earliest:
            errors[name] = f"{LABELS[name]}不能早于{earliest:%Y年%-m月%-d日}"
    first = submitted_on if channel != "letter" else arrived_on
    if confirmed_on and first and confirmed_on < first and "confirmed_on" not in errors:
        which = "提交日期" if channel != "letter" else "信件到达日期"
        errors["confirmed_on"] = f"确认日期不能早于{which}（{first:%Y-%m-%d}）"
    if errors:
        return None, errors

    derived = given[gives_date]
    if derived is None:
        missing = [n for n in needed if not given[n]]
        if received_on is None:
            names = "、".join(LABELS[n] for n in missing)
            return None, {missing[0]: f"请填写{names}（{rule}）"}
        # Facts in part: the date given stands, if the facts given do not contradict it.
        for name, day in present.items():
            if name in FACT_DATES and day > received_on:
                return None, {
                    "received_on": f"收到申请日期不能早于{LABELS[name]}（{day:%Y-%m-%d}）"
                }
        return Receipt(received_on, rule, present), {}
    if received_on is not None and received_on != derived:
        return None, {
            "received_on": f"收到申请日期应为{derived:%Y-%m-%d}，与所填{LABELS[gives_date]}"
            f"不一致（{rule}）"
        }
    late = channel == "letter" and mail_type == ORDINARY and confirmed_on > arrived_on
    return Receipt(derived, rule, present, late_confirmation=late), {}
