"""The default body text of each kind, from the facts its action recorded: pure functions.

The body is what the clerk may edit before issuing; the parts the law requires on every letter
(title, number, addressee, legal basis, remedies clause, agency, date, seal) are not in it but
in the template (documents.contexts), so an edit cannot drop them.
"""

from __future__ import annotations

from decimal import Decimal

from cases.deadlines import FEE_MEASURES

from .vocabulary import chinese_date

REGULATIONS = "《中华人民共和国政府信息公开条例》"
REGULATIONS_2008 = "2008年施行的《中华人民共和国政府信息公开条例》"

# 国办函〔2020〕109号: per page, pages 1-30 free, then 10, 20 and 40 元 a page.
PAGE_BANDS = ((31, 100, 10), (101, 200, 20), (201, None, 40))
PER_ITEM_RULE = (
    "按件计收：同一申请人一个自然月内累计申请10件以下（含）的不收费；11—30件（含）的部分每件"
    "收费100元；31件以上的部分，每增加10件，每件收费标准提高100元"
)
PER_PAGE_RULE = (
    "按量计收：30页以下（含）的不收费；31—100页（含）的部分每页10元；101—200页（含）的部分"
    "每页20元；200页以上的部分每页40元"
)


def _intro(facts: dict) -> str:
    return (
        f"本机关于{chinese_date(facts['received_on'])}收到您提出的政府信息公开申请"
        f"（申请编号：{facts['reference']}）。"
    )


def receipt(facts: dict) -> str:
    return "\n".join(
        [
            f"本机关已通过{facts['channel_label']}收到您提出的政府信息公开申请，申请编号为"
            f"{facts['reference']}，所需政府信息为：“{facts['description']}”。",
            f"根据{REGULATIONS}第三十一条的规定，本机关收到申请之日为"
            f"{chinese_date(facts['received_on'])}。",
            f"本机关将于{chinese_date(facts['due_on'])}前作出答复；依法需要补正、征求意见、收取"
            "信息处理费或者延长答复期限的，本机关将另行书面告知。"
            if facts.get("due_on")
            else "本机关将依照规定的期限作出答复。",
        ]
    )


def correction_notice(facts: dict) -> str:
    items = [line.strip() for line in str(facts["items"]).splitlines() if line.strip()]
    numbered = [f"{i}．{item}" for i, item in enumerate(items, 1)] if len(items) > 1 else items
    return "\n".join(
        [
            _intro(facts)
            + f"经审查，您的申请内容不明确。根据{REGULATIONS}第三十条的规定，请您对以下事项"
            "一并作出补正：",
            *numbered,
            f"请您自收到本告知书之日起{facts['period_days']}个工作日内向本机关提交补正后的申请。"
            "答复期限自本机关收到补正后的申请之日起重新计算。",
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        ]
    )


def consultation_letter(facts: dict) -> str:
    request = (
        f"本机关于{chinese_date(facts['received_on'])}收到一件政府信息公开申请"
        f"（申请编号：{facts['reference']}），申请获取“{facts['description']}”。"
    )
    if facts["party_kind"] == "agency":
        # Art. 34: information made by several agencies; no answer in time counts as consent.
        return "\n".join(
            [
                request + f"该信息涉及贵机关，根据{REGULATIONS}第三十四条的规定，现征求贵机关"
                "意见：该信息是否可以公开？",
                "请贵机关自收到本征求意见书之日起15个工作日内提出意见。逾期未提出意见的，"
                "视为同意公开。",
            ]
        )
    return "\n".join(
        [
            request + f"经审查，公开该信息可能损害你方合法权益。根据{REGULATIONS}第三十二条的"
            "规定，现书面征求你方意见：公开该信息是否会损害你方的合法权益？",
            "请你方自收到本征求意见书之日起15个工作日内提出意见，并说明理由。逾期未提出意见"
            f"的，由本机关依照{REGULATIONS}的规定决定是否公开。",
        ]
    )


def pages_for_amount(amount: Decimal) -> int | None:
    """The page count whose per-page fee is exactly ``amount``, or None."""
    pages, total = 30, Decimal(0)
    for first, last, price in PAGE_BANDS:
        band_pages = None if last is None else last - first + 1
        band_total = None if band_pages is None else Decimal(band_pages * price)
        if band_total is None or amount - total <= band_total:
            rest = (amount - total) / price
            return pages + int(rest) if rest == int(rest) and rest > 0 else None
        pages, total = last, total + band_total
    return None  # pragma: no cover - the last band is open


def per_page_computation(pages: int) -> str:
    parts = []
    for first, last, price in PAGE_BANDS:
        if pages < first:
            break
        top = pages if last is None else min(pages, last)
        count = top - first + 1
        parts.append(f"{first}—{top}页共{count}页×{price}元")
    return "＋".join(parts)


def fee_notice(facts: dict) -> str:
    amount = Decimal(str(facts["amount"]))
    lines = [
        _intro(facts) + f"根据{REGULATIONS}第四十二条和{FEE_MEASURES}的规定，您的申请需缴纳"
        "信息处理费。",
    ]
    if facts["basis"] == "per_page":
        lines.append(f"收费方式：{PER_PAGE_RULE}。")
        pages = pages_for_amount(amount)
        if pages is not None:
            lines.append(f"计费数量：{pages}页（其中30页免费）。")
            lines.append(f"收费金额：{per_page_computation(pages)}，合计人民币{amount}元。")
        else:
            lines.append(f"收费金额：人民币{amount}元。")
    else:
        lines.append(f"收费方式：{PER_ITEM_RULE}。")
        lines.append(f"收费金额：本件申请人民币{amount}元。")
    lines += [
        f"缴费方式：{facts['payment']}。",
        "请您自收到本通知书之日起20个工作日内缴纳上述费用。逾期未缴纳的，视为放弃申请，本机关"
        "不再处理该政府信息公开申请。",
    ]
    return "\n".join(lines)


def extension_article(regulations: str) -> str:
    if regulations == "2008":
        return f"{REGULATIONS_2008}第二十四条第二款"
    return f"{REGULATIONS}第三十三条第二款"


def extension_notice(facts: dict) -> str:
    due = (
        f"本机关将于{chinese_date(facts['new_due_on'])}前作出答复。"
        if facts.get("new_due_on")
        else ""
    )
    return "\n".join(
        [
            _intro(facts) + f"因{str(facts['reason']).rstrip('。')}，本机关不能在规定的期限内"
            "作出答复。",
            f"根据{extension_article(facts.get('regulations', '2019'))}的规定，经本机关政府信息"
            f"公开工作机构负责人同意，答复期限延长{facts['working_days']}个工作日。{due}",
        ]
    )


def reply(paragraph: str, facts: dict) -> str:
    lines = [_intro(facts) + f"您申请获取“{facts['description']}”。", paragraph]
    if facts.get("delivery_label") and facts.get("discloses"):
        # Art. 40: in the form the applicant asked for where possible.
        lines.append(f"本机关以{facts['delivery_label']}形式向您提供上述政府信息。")
    return "\n".join(line for line in lines if line.strip())


def termination_notice(paragraph: str, facts: dict) -> str:
    notice = facts.get("notice_title") or "告知书"
    number = f"（{facts['notice_number']}）" if facts.get("notice_number") else ""
    if facts.get("delivered_on"):
        delivered = f"该通知于{chinese_date(facts['delivered_on'])}送达您"
    else:
        delivered = "送达日期尚无记录，期限自通知日期起算"
    period = (
        f"期限为{facts['period_days']}个工作日，最后一日为{chinese_date(facts['period_end'])}"
        if facts.get("period_end")
        else f"期限为{facts['period_days']}个工作日"
    )
    return "\n".join(
        [
            _intro(facts) + f"本机关于{chinese_date(facts['notice_on'])}向您发出《{notice}》"
            f"{number}，{delivered}，{period}。截至{chinese_date(facts['lapse_on'])}，"
            f"{facts['missing']}。",
            paragraph,
        ]
    )
