"""Reading one cell as the column's kind of value: dates as offices write them, whole numbers,
amounts, yes or no, and choices by key, by label or by a common other word.

Each reader returns the value, or raises ``BadValue`` with a message in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from cases import vocabulary

from .columns import AMOUNT, CHOICE, DATE, INTEGER, OUTCOME, TEXT, YES_NO, Column


class BadValue(ValueError):
    """The cell cannot be read as the column's kind of value; the message says why."""


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_INTEGER = re.compile(r"^(\d+)(?:\.0+)?(?:个)?(?:工作日|天|日)?$")
_AMOUNT = re.compile(r"^[¥￥]?(\d+(?:\.\d+)?)元?$")
_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "已撤回", "撤回"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "未撤回"})
# Numbering in front of a label in the table: "（二）", "2.", "二、".
_NUMBERING = re.compile(r"^(?:\([一二三四五六七八九十]+\)|\d+[.、]|[一二三四五六七八九十]+、)")
_TRAILING_PARENTHESIS = re.compile(r"\([^()]*\)$")


def folded(text: str) -> str:
    """Text as compared with labels: full-width forms folded, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text. Numbers Excel stored for a phone or an identity number lose no digits
    (13800138000.0 -> "13800138000"), dates read as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell without a date format: Excel's serial number of the day.
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue(f"“{as_text(value)}”不是有效的日期（应为YYYY-MM-DD）")
    text = folded(as_text(value))
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise BadValue(f"“{as_text(value)}”不是有效的日期（应为YYYY-MM-DD）")


def read_integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = _INTEGER.match(folded(as_text(value)))
    if not match:
        raise BadValue(f"“{as_text(value)}”不是整数")
    return int(match.group(1))


def read_amount(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    match = _AMOUNT.match(folded(as_text(value)).replace(",", ""))
    if not match:
        raise BadValue(f"“{as_text(value)}”不是有效的金额")
    try:
        return Decimal(match.group(1)).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise BadValue(f"“{as_text(value)}”不是有效的金额") from None


def read_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = folded(as_text(value)).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadValue(f"“{as_text(value)}”应填写“是”或“否”")


@cache
def _choice_index(column: Column) -> dict[str, str]:
    index = {}
    for key, label in column.choices:
        index[folded(key).lower()] = key
        index[folded(label)] = key
    for word, key in column.aliases:
        index.setdefault(folded(word), key)
    return index


def read_choice(value: Any, column: Column) -> str:
    text = folded(as_text(value))
    key = _choice_index(column).get(text) or _choice_index(column).get(text.lower())
    if key is None:
        allowed = "、".join(label for _, label in column.choices)
        raise BadValue(f"“{as_text(value)}”不是可选的{column.header}（可填写：{allowed}）")
    return key


# Outcomes: by key, by their own label, or by a row label of either table format, and a few
# words ledgers use for the commonest ones.
OUTCOME_ALIASES = {
    "公开": "disclosed",
    "同意公开": "disclosed",
    "撤回": vocabulary.WITHDRAWN,
    "申请人撤回": vocabulary.WITHDRAWN,
    "已撤回": vocabulary.WITHDRAWN,
    "逾期不补正": vocabulary.NO_CORRECTION,
    "逾期未缴费": vocabulary.FEE_UNPAID,
    "信息不存在": "unavailable_not_held",
}


def _label_forms(label: str) -> set[str]:
    """A label as offices write it: with or without its numbering and its trailing remark."""
    text = folded(label)
    forms = {text}
    for form in list(forms):
        forms.add(_NUMBERING.sub("", form))
    for form in list(forms):
        forms.add(_TRAILING_PARENTHESIS.sub("", form))
    return {form for form in forms if form}


@cache
def outcome_index() -> dict[str, frozenset[str]]:
    """Every written form of an outcome -> the outcomes it may mean."""
    spec = vocabulary.annual_table_spec()
    index: dict[str, set[str]] = {}
    for item in spec["outcomes"]:
        key, label = item["key"], item["label"]
        forms = _label_forms(label) | {key.lower()}
        # "不予公开：属于国家秘密" is also written "属于国家秘密".
        if "：" in label:
            forms |= _label_forms(label.split("：", 1)[1])
        for form in forms:
            index.setdefault(form, set()).add(key)
    for template in spec["templates"].values():
        header = ""
        for row in template["rows"]:
            if row["kind"] == "header":
                header = _NUMBERING.sub("", folded(row["label"]))
                continue
            outcomes = row.get("outcomes") or []
            if not outcomes:
                continue
            forms = _label_forms(row["label"])
            # "1.属于国家秘密" under "（三）不予公开" is also "不予公开：属于国家秘密".
            if header and row["key"] not in ("disclosed", "partially_disclosed"):
                forms |= {f"{header}:{form}" for form in list(forms)}
                forms |= {f"{header}{form}" for form in list(forms)}
            for form in forms:
                index.setdefault(form, set()).update(outcomes)
    for word, key in OUTCOME_ALIASES.items():
        index.setdefault(folded(word), {key})
    return {form: frozenset(keys) for form, keys in index.items()}


@cache
def _own_labels() -> dict[str, str]:
    """An outcome's own label (and that label without its remark) -> the outcome."""
    own = {}
    for key, label in vocabulary.OUTCOME_CHOICES:
        own[folded(label)] = key
        if "：" in label:
            own.setdefault(folded(label.split("：", 1)[1]), key)
    return own


def read_outcome(value: Any) -> str:
    text = folded(as_text(value))
    keys = outcome_index().get(text) or outcome_index().get(text.lower())
    if not keys:
        raise BadValue(
            f"“{as_text(value)}”不是年度报告统计表中的办理结果（可填写如“予以公开”“部分公开”"
            "“不予公开：属于国家秘密”“（二）部分公开”等，见模板“填写说明”）"
        )
    if len(keys) == 1:
        return next(iter(keys))
    # A row of the table that counts several outcomes: the outcome whose own label it is.
    if text in _own_labels() and _own_labels()[text] in keys:
        return _own_labels()[text]
    labels = "、".join(label for key, label in vocabulary.OUTCOME_CHOICES if key in keys)
    raise BadValue(f"“{as_text(value)}”包括多种办理结果，请写明其中一种：{labels}")


def read(value: Any, column: Column) -> Any:
    """The cell as the column's kind of value (text stripped); blank cells are handled by the
    caller."""
    if column.kind == TEXT:
        return as_text(value)
    if column.kind == DATE:
        return read_date(value)
    if column.kind == INTEGER:
        return read_integer(value)
    if column.kind == AMOUNT:
        return read_amount(value)
    if column.kind == YES_NO:
        return read_yes_no(value)
    if column.kind == CHOICE:
        return read_choice(value, column)
    if column.kind == OUTCOME:
        return read_outcome(value)
    raise ValueError(f"unknown column kind {column.kind!r}")  # pragma: no cover
