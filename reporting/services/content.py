"""What the office writes and enters for its report: the texts of sections 一, 五 and 六, the
opening's blanks, section 六's fee sentence as edited, and section 二's figures.

Agency admins (and platform admins) write them; a published year refuses any change (the
period lock), so the report stays as published until the year is reopened.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted
from cases.models import Agency, User
from cases.permissions import may_manage_agency

from ..layout import TEMPLATES
from ..locks import ensure_years_open
from ..models import ReportContent
from ..report_layout import (
    ACTIVE_DISCLOSURE,
    AMOUNT,
    CHANGE,
    format_amount,
    parse_amount,
)
from .snapshots import validate_year

TEXT_FIELDS = ("general", "problems", "other_matters", "fee_statement", "website", "contact")
# A count in section 二 (documents, decisions, procurement items) is never near this.
FIGURE_MAX = 10**9


def _check_access(actor: User, agency: Agency) -> None:
    if not actor.may_see(agency.pk):
        raise NotFound("机关不存在或不属于您所在的机关")
    if not may_manage_agency(actor, agency.pk):
        raise NotPermitted("只有机关管理员可以填报年度报告")


def _figure(value: Any, column) -> int | str | None:
    """One cell as stored: a whole number, an amount as printed, or None (not filled in)."""
    if value is None:
        return None
    if column.kind == AMOUNT:
        number, unit = parse_amount(str(value), column.units)
        return format_amount(number, unit, column.units)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("应为整数")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("应为整数") from None
    if column.kind != CHANGE and number < 0:
        raise ValueError("不能为负数")
    if abs(number) > FIGURE_MAX:
        raise ValueError("数值过大")
    return number


def merge_figures(stored: dict[str, Any], entered: Any) -> dict[str, Any]:
    """Section 二's figures with the entered cells applied: {template: {row: {column: value}}};
    a cell given as null is cleared. Unknown formats, rows or columns are refused by name."""
    if not isinstance(entered, dict):
        raise InvalidInput("格式有误", fields={"active_disclosure": "应为按格式、行、列填写的对象"})
    merged = {
        template: {row: dict(cells) for row, cells in rows.items()}
        for template, rows in stored.items()
    }
    errors: dict[str, str] = {}
    for template, rows in entered.items():
        if template not in TEMPLATES or not isinstance(rows, dict):
            errors[str(template)] = "格式应为 2019 或 2021，内容为按行填写的对象"
            continue
        layout = {row.key: group for group in ACTIVE_DISCLOSURE[template] for row in group.rows}
        for row_key, cells in rows.items():
            group = layout.get(row_key)
            if group is None or not isinstance(cells, dict):
                errors[f"{template}.{row_key}"] = "该格式没有这一行"
                continue
            columns = {column.key: column for column in group.columns}
            for column_key, value in cells.items():
                name = f"{template}.{row_key}.{column_key}"
                if column_key not in columns:
                    errors[name] = "该行没有这一列"
                    continue
                try:
                    figure = _figure(value, columns[column_key])
                except ValueError as err:
                    errors[name] = str(err)
                    continue
                target = merged.setdefault(template, {}).setdefault(row_key, {})
                if figure is None:
                    target.pop(column_key, None)
                else:
                    target[column_key] = figure
    if errors:
        raise InvalidInput(
            "第二部分数据有误：" + "；".join(f"{k}：{v}" for k, v in errors.items()),
            fields={"active_disclosure": errors},
        )
    return {t: {r: cells for r, cells in rows.items() if cells} for t, rows in merged.items()}


@transaction.atomic
def report_content_save(
    *,
    actor: User,
    agency: Agency,
    year: int,
    version: int | None = None,
    active_disclosure: dict[str, Any] | None = None,
    **texts: str,
) -> ReportContent:
    """Create or change the office's content for the year; only what is given changes."""
    _check_access(actor, agency)
    year = validate_year(year)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise InvalidInput("不能修改这些字段", fields=dict.fromkeys(sorted(unknown), "不可修改"))
    content, _created = ReportContent.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    if version is not None and content.version != version:
        raise ConcurrentChange(
            "年度报告填报内容已被他人修改，请刷新后重试", fields={"version": str(content.version)}
        )
    before = (
        {name: getattr(content, name) for name in TEXT_FIELDS},
        content.active_disclosure,
    )
    for name, value in texts.items():
        setattr(content, name, (value or "").strip())
    if active_disclosure is not None:
        content.active_disclosure = merge_figures(
            content.active_disclosure or {}, active_disclosure
        )
    after = ({name: getattr(content, name) for name in TEXT_FIELDS}, content.active_disclosure)
    if after == before and not _created:
        return content
    ensure_years_open(agency_id=agency.pk, years=[year], what="年度报告")
    content.version += 1
    content.updated_by = actor
    try:
        content.full_clean()
    except ValidationError as err:
        raise InvalidInput("填报内容有误", fields=err.message_dict) from None
    content.save()
    return content
