"""The reason library (spec §4) and the remedies clause of a reply: pure functions.

One standard paragraph per outcome key of annual-table.json, with its legal basis and
placeholders for the facts; an agency may replace any of them with its own wording
(DocumentSettings.reasons). The paragraphs are ours: short and plain, and each says what the
article it cites requires.
"""

from __future__ import annotations

import datetime as dt
import string

from cases import vocabulary

# The facts a paragraph may name; documents.drafting fills them.
PLACEHOLDERS = {
    "applicant": "申请人姓名或名称",
    "received_on": "收到申请日期",
    "request": "所需政府信息的描述",
    "reply": "答复内容（提供的信息、获取方式和途径）",
    "reason": "理由（不予公开或部分公开时，不予公开的部分及理由）",
    "legal_basis": "法律依据",
    "competent_agency": "负责公开的机关及联系方式",
}


def _withheld(what: str) -> str:
    return (
        f"经审查，您申请获取的政府信息{what}。"
        "根据{legal_basis}的规定，本机关决定不予公开。理由：{reason}"
    )


DEFAULT_PARAGRAPHS: dict[str, str] = {
    # Art. 36(2)
    "disclosed": "经审查，您申请获取的政府信息属于公开范围。根据{legal_basis}的规定，"
    "本机关决定予以公开。{reply}",
    # Art. 36(1)
    "disclosed_already_public": "经审查，您申请获取的政府信息本机关已经主动公开。根据"
    "{legal_basis}的规定，现告知您获取该政府信息的方式和途径：{reply}",
    # Art. 37
    "partially_disclosed": "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分"
    "处理。根据{legal_basis}的规定，本机关对可以公开的部分予以公开：{reply}。不予公开的部分"
    "及理由：{reason}",
    # Art. 14
    "withheld_state_secret": _withheld("属于国家秘密"),
    "withheld_prohibited_by_law": _withheld("属于法律、行政法规禁止公开的政府信息"),
    "withheld_security_stability": _withheld(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    ),
    # Art. 15, 32
    "withheld_third_party_rights": _withheld(
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"
    ),
    # Art. 16
    "withheld_internal_affairs": _withheld("属于人事管理、后勤管理、内部工作流程等内部事务信息"),
    "withheld_process_information": _withheld(
        "属于履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"
    ),
    "withheld_law_enforcement_file": _withheld("属于行政执法案卷信息"),
    # Art. 36(7)
    "withheld_administrative_query": "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取"
    "有特别规定的信息。根据{legal_basis}的规定，请您依照有关法律、行政法规的规定办理。{reason}",
    # Art. 36(4)
    "unavailable_not_held": "经检索查找，本机关未制作、获取您申请获取的政府信息，该政府信息不存在。"
    "根据{legal_basis}的规定，特此告知。{reason}",
    # Art. 36(5)
    "unavailable_not_responsible": "经审查，您申请获取的政府信息不属于本机关负责公开。{reason}根据"
    "{legal_basis}的规定，特此告知。负责公开该政府信息的机关：{competent_agency}。",
    # Art. 38
    "unavailable_needs_creation": "经审查，您申请获取的信息本机关没有现成的政府信息，需要对现有"
    "政府信息进行加工、分析后方能形成。根据{legal_basis}的规定，本机关不予提供。{reason}",
    # Art. 30
    "unavailable_unclear_after_correction": "本机关已向您发出补正告知，您补正后的申请内容仍不明确，"
    "本机关无法确定您所需的政府信息。根据{legal_basis}的规定，本机关无法提供。{reason}",
    # Art. 39 para. 1
    "not_processed_complaint": "经审查，您以政府信息公开申请的形式提出信访、投诉、举报等诉求。根据"
    "{legal_basis}的规定，本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等渠道"
    "提出。{reason}",
    # Art. 36(6)
    "not_processed_duplicate": "经审查，您重复申请公开相同的政府信息，本机关已就该信息依法作出"
    "答复。根据{legal_basis}的规定，本机关不予重复处理。{reason}",
    # Art. 39 para. 2
    "not_processed_publication": "经审查，您申请获取的是公开出版物。根据{legal_basis}的规定，"
    "请您通过获取公开出版物的途径获取：{reply}",
    # Art. 35
    "not_processed_excessive": "经审查，您申请公开政府信息的数量、频次明显超过合理范围，且未能"
    "说明理由的合理性。根据{legal_basis}的规定，本机关不予处理。{reason}",
    "not_processed_confirmation": "经审查，您要求本机关确认或者重新出具已获取的信息，不属于政府"
    "信息公开申请。根据{legal_basis}的规定，本机关不予处理。{reason}",
    # Art. 30; 国办函〔2020〕109号 (the termination notice)
    "other_no_correction": "您无正当理由逾期未补正，根据{legal_basis}的规定，视为您放弃申请，"
    "本机关不再处理该政府信息公开申请。",
    "other_fee_unpaid": "您逾期未缴纳信息处理费，根据{legal_basis}的规定，视为您放弃申请，"
    "本机关不再处理该政府信息公开申请。",
    "withdrawn": "您已撤回该政府信息公开申请，本机关终止办理。",
    "other": "根据{legal_basis}的规定，答复如下：{reply}{reason}",
}

_OUTCOMES = [key for key, _ in vocabulary.OUTCOME_CHOICES]
assert set(DEFAULT_PARAGRAPHS) == set(_OUTCOMES), "one paragraph per outcome key"

# 《中华人民共和国行政复议法》（2023年修订，2024-01-01施行）第二十三条: reconsideration comes
# first when the office withholds information (不予公开, and the withheld part of a partial one).
RECONSIDERATION_FIRST_FROM = dt.date(2024, 1, 1)
RECONSIDERATION_FIRST_OUTCOMES = frozenset(
    key for key in _OUTCOMES if key.startswith("withheld_") or key == "partially_disclosed"
)


def paragraph_problem(text: str) -> str | None:
    """Why an agency's paragraph cannot be used (unknown placeholders, stray braces), or None."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return "花括号不成对；占位符应写作 {reason} 等"
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        known = "、".join("{" + name + "}" for name in PLACEHOLDERS)
        listed = "、".join("{" + name + "}" for name in unknown)
        return f"含有未知占位符：{listed}（可用：{known}）"
    return None


def fill(text: str, facts: dict[str, str]) -> str:
    values = {name: facts.get(name, "") for name in PLACEHOLDERS}
    return text.format(**values)


def remedies_clause(*, outcome: str, on: dt.date, review_body: str, court: str) -> str:
    """The remedies clause every reply carries (spec §4): 60 days to apply for reconsideration
    (行政复议法第二十条), 6 months to sue (行政诉讼法第四十六条), both from receipt of the reply;
    from 2024-01-01 reconsideration first for withheld information (行政复议法第二十三条)."""
    if on >= RECONSIDERATION_FIRST_FROM and outcome in RECONSIDERATION_FIRST_OUTCOMES:
        return (
            f"如对本答复不服，可以自收到本答复之日起60日内向{review_body}申请行政复议；"
            "对行政复议决定不服的，可以依法提起行政诉讼。"
        )
    return (
        f"如对本答复不服，可以自收到本答复之日起60日内向{review_body}申请行政复议，"
        f"或者自收到本答复之日起6个月内向{court}提起行政诉讼。"
    )
