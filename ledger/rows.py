"""One ledger row read and checked: every cell as its column's kind of value, then what the row
says as a whole (dates in order, an answered date with an outcome). A row with errors is not
replayed; every error is reported at once, pointing at its column.

The rules of the lifecycle themselves (a fee notice only from 2021, an extension within the reply
period, a lapse only once the period ran out, a published year) are not repeated here: the
services refuse the step when the row is replayed, and their message is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from cases import limits, vocabulary
from cases.identity import check_identity, normalise_id_number

from . import columns
from .reading import DataRow
from .values import BadValue, as_text, read

EXTERNAL_NUMBER_MAX = 100
_RESIDENT_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

# Steps that need an earlier one, and must not be dated before it: (later, earlier).
_AFTER = (
    ("correction_notice_delivered_on", "correction_requested_on"),
    ("correction_received_on", "correction_requested_on"),
    ("opinion_received_on", "consultation_sent_on"),
    ("fee_notice_delivered_on", "fee_notice_on"),
    ("fee_paid_on", "fee_notice_on"),
    ("archived_on", "answered_on"),
)
# Steps taken before the case was concluded (answered, withdrawn or lapsed).
_BEFORE_CONCLUSION = (
    "correction_requested_on",
    "correction_received_on",
    "reviewed_on",
    "consultation_sent_on",
    "opinion_received_on",
    "fee_notice_on",
    "fee_paid_on",
    "extended_on",
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # column key; the report shows the header as the file wrote it
    value: str
    message: str


@dataclass
class LedgerRow:
    """A row read and checked: its values by column key (blank cells left out)."""

    row: int
    values: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def external_number(self) -> str:
        return self.values.get("external_number", "")

    @property
    def identity_key(self) -> tuple[str, dt.date, str]:
        """The same request, however numbered: who, when received, and what was asked."""
        return (self.values["id_number"], self.values["received_on"], self.values["description"])


class _Errors:
    def __init__(self, data: DataRow):
        self.data = data
        self.items: list[RowError] = []
        self.columns: set[str] = set()

    def add(self, key: str, message: str) -> None:
        self.items.append(RowError(self.data.row, key, as_text(self.data.values.get(key)), message))
        self.columns.add(key)


def parse_row(data: DataRow, *, today: dt.date) -> tuple[LedgerRow | None, list[RowError]]:
    """The row's values and its errors; the row is None when it has any."""
    errors = _Errors(data)
    values: dict[str, Any] = {}
    for key, cell in data.values.items():
        try:
            values[key] = read(cell, columns.BY_KEY[key])
        except BadValue as err:
            errors.add(key, str(err))
    for column in columns.required_columns():
        if column.key not in data.values:
            errors.add(column.key, f"请填写{column.header}")
    if len(values.get("external_number", "")) > EXTERNAL_NUMBER_MAX:
        errors.add("external_number", f"台账编号最多{EXTERNAL_NUMBER_MAX}个字符")
    _check_identity(values, errors, today)
    _check_dates(values, errors, today)
    _check_steps(values, errors)
    _check_conclusion(values, errors)
    if errors.items:
        return None, errors.items
    return LedgerRow(data.row, values, data.values), []


def _check_identity(values: dict[str, Any], errors: _Errors, today: dt.date) -> None:
    if "id_number" not in values or "applicant_type" not in values:
        return
    number = normalise_id_number(values["id_number"])
    organisation = values["applicant_type"] in vocabulary.ORGANISATION_TYPES
    if "id_type" not in values and "id_type" not in errors.columns:
        values["id_type"] = _inferred_id_type(number, organisation=organisation)
        if not values["id_type"]:
            errors.add(
                "id_type", "请填写证件类型（证件号码不是有效的身份证号码或统一社会信用代码）"
            )
            return
    if "id_type" in errors.columns:
        return
    values["id_number"], problems = check_identity(
        is_organisation=organisation, id_type=values["id_type"], id_number=number, today=today
    )
    for key, message in problems.items():
        errors.add(key, message)


def _inferred_id_type(number: str, *, organisation: bool) -> str:
    """What the number looks like: an 18-character credit code for an organisation, an
    18-digit identity card number for a person (checked afterwards like any other)."""
    if organisation and len(number) == 18 and number.isalnum():
        return "uscc"
    if not organisation and _RESIDENT_ID_SHAPE.match(number):
        return "resident_id"
    return ""


def _check_dates(values: dict[str, Any], errors: _Errors, today: dt.date) -> None:
    received = values.get("received_on")
    for column in columns.COLUMNS:
        day = values.get(column.key)
        if column.kind != columns.DATE or day is None:
            continue
        if day > today:
            errors.add(column.key, "日期不能晚于今天")
        elif day < limits.EARLIEST_DATE:
            errors.add(column.key, limits.EARLIEST_DATE_MESSAGE)
        elif received is not None and column.key != "received_on" and day < received:
            errors.add(column.key, f"日期早于收到申请日期（{received:%Y-%m-%d}）")
    for later, earlier in _AFTER:
        if values.get(later) is None:
            continue
        first = values.get(earlier)
        if first is None:
            if earlier not in errors.columns:
                errors.add(later, f"填写了{_header(later)}，但没有{_header(earlier)}")
        elif values[later] < first:
            errors.add(later, f"{_header(later)}早于{_header(earlier)}（{first:%Y-%m-%d}）")
    concluded = values.get("answered_on")
    if concluded is not None:
        for key in _BEFORE_CONCLUSION:
            if values.get(key) is not None and values[key] > concluded:
                errors.add(key, f"{_header(key)}晚于办结日期（{concluded:%Y-%m-%d}）")


def _check_steps(values: dict[str, Any], errors: _Errors) -> None:
    if values.get("fee_notice_on") is not None:
        for key in ("fee_basis", "fee_amount"):
            if key not in values and key not in errors.columns:
                errors.add(key, f"填写了收费通知日期的，请填写{_header(key)}")
    has_date, has_days = "extended_on" in values, "extension_days" in values
    if has_date != has_days and not {"extended_on", "extension_days"} & errors.columns:
        missing = "extension_days" if has_date else "extended_on"
        errors.add(missing, f"延期的，请同时填写延期日期和延长工作日数（缺{_header(missing)}）")


def _check_conclusion(values: dict[str, Any], errors: _Errors) -> None:
    outcome = values.get("outcome")
    if values.get("withdrawn"):
        if outcome not in (None, vocabulary.WITHDRAWN):
            errors.add("withdrawn", "申请人撤回的，办理结果应为“其他处理：申请人撤回申请”或不填")
            return
        values["outcome"] = outcome = vocabulary.WITHDRAWN
    if "outcome" in errors.columns or "answered_on" in errors.columns:
        return
    concluded = values.get("answered_on")
    if concluded is not None and outcome is None:
        errors.add("outcome", "填写了办结日期，但没有办理结果")
    elif outcome is not None and concluded is None:
        errors.add("answered_on", "填写了办理结果，但没有办结日期")
    elif outcome == vocabulary.NO_CORRECTION and (
        values.get("correction_requested_on") is None or values.get("correction_received_on")
    ):
        errors.add("outcome", "逾期不补正的，应有补正告知日期且没有收到补正日期")
    elif outcome == vocabulary.FEE_UNPAID and (
        values.get("fee_notice_on") is None or values.get("fee_paid_on")
    ):
        errors.add("outcome", "逾期未缴费的，应有收费通知日期且没有缴费日期")


def _header(key: str) -> str:
    return columns.BY_KEY[key].header
