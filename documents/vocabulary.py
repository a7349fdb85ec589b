"""The documents' official vocabulary, in one place: kinds and their titles, statuses, delivery
methods, the case action that drafts each kind, and the defaults an agency starts from.

The titles are those of spec/documents.md §1, verbatim; code refers to the keys.
"""

from __future__ import annotations

import datetime as dt

from django.db import models


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", "政府信息公开申请登记回执"
    CORRECTION_NOTICE = "correction_notice", "政府信息公开申请补正告知书"
    CONSULTATION_LETTER = "consultation_letter", "政府信息公开征求意见书"
    FEE_NOTICE = "fee_notice", "信息处理费收费通知书"
    EXTENSION_NOTICE = "extension_notice", "政府信息公开申请延期答复告知书"
    REPLY = "reply", "政府信息公开申请答复书"
    TERMINATION_NOTICE = "termination_notice", "政府信息公开申请终止办理告知书"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已审批"
    RETURNED = "returned", "已退回"
    ISSUED = "issued", "已签发"
    SUPERSEDED = "superseded", "已被更正文书替代"


class DeliveryMethod(models.TextChoices):
    # spec/documents.md §5.1
    IN_PERSON = "in_person", "直接送达"
    POST = "post", "邮寄送达"
    EMAIL = "email", "电子邮件送达"
    ONLINE = "online", "网上平台送达"
    FAX = "fax", "传真送达"


# The case action (cases.hooks CaseChange.action) that drafts each kind.
ACTION_KINDS: dict[str, str] = {
    "register": DocumentKind.RECEIPT,
    "request_correction": DocumentKind.CORRECTION_NOTICE,
    "consult": DocumentKind.CONSULTATION_LETTER,
    "issue_fee_notice": DocumentKind.FEE_NOTICE,
    "extend": DocumentKind.EXTENSION_NOTICE,
    "answer": DocumentKind.REPLY,
    "lapse": DocumentKind.TERMINATION_NOTICE,
}
# The actions an approved document completes when the agency requires approval (the action takes
# effect with the issue date, spec §3).
DEFERRABLE_ACTIONS: dict[str, str] = {
    "answer": DocumentKind.REPLY,
    "extend": DocumentKind.EXTENSION_NOTICE,
}
# A case may be consulted more than once (one letter per round); every other kind is made once
# per case, and a new action updates its draft instead.
REPEATABLE_KINDS = frozenset({DocumentKind.CONSULTATION_LETTER})

# spec §3: by default only the reply and the extension notice need the head of office's approval.
APPROVAL_BY_DEFAULT = frozenset({DocumentKind.REPLY, DocumentKind.EXTENSION_NOTICE})

# GB/T 9704-2012 §7.2.4: agency code word, year in 六角括号, sequence without 第 or leading zeros.
DEFAULT_NUMBER_FORMAT = "{prefix}〔{year}〕{seq}号"
NUMBER_PLACEHOLDERS = ("prefix", "year", "seq")
# The word after the agency's code in the default prefix ("FJRST公开复"); offices set their own
# Chinese code word (e.g. 闽人社公开复) in the document settings.
DEFAULT_PREFIX_WORDS: dict[str, str] = {
    DocumentKind.RECEIPT: "公开登",
    DocumentKind.CORRECTION_NOTICE: "公开补",
    DocumentKind.CONSULTATION_LETTER: "公开征",
    DocumentKind.FEE_NOTICE: "公开费",
    DocumentKind.EXTENSION_NOTICE: "公开延",
    DocumentKind.REPLY: "公开复",
    DocumentKind.TERMINATION_NOTICE: "公开终",
}

DEFAULT_REVIEW_BODY = "依法负责的行政复议机关"
DEFAULT_COURT = "有管辖权的人民法院"
DEFAULT_PAYMENT_INSTRUCTIONS = (
    "请持本通知书到本机关政府信息公开工作机构缴纳，或者按照本机关告知的其他方式缴纳"
)

SEAL_PLACEHOLDER = "（印章）"
DRAFT_MARK = "草稿"
DRAFT_NUMBER = "（草稿，签发时编号）"

# Delivery proofs and uploaded templates: at most this many bytes.
PROOF_MAX_BYTES = 10 * 1024 * 1024
TEMPLATE_MAX_BYTES = 10 * 1024 * 1024


def kind_title(kind: str) -> str:
    return DocumentKind(kind).label


def chinese_date(day: dt.date | str | None) -> str:
    """2026年11月25日: Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.3)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"
