"""The import template: the ledger's columns with their Chinese headers on the first sheet, and
a second sheet explaining each column, whether it is required, the values it takes and the
other names it may carry. Choice columns offer their values as drop-down lists (a third sheet
holds the lists)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cases import vocabulary

from . import columns
from .columns import CHOICE, DATE, OUTCOME, YES_NO, Column

FILE_NAME = "台账导入模板.xlsx"
DATA_SHEET = "台账"
HELP_SHEET = "填写说明"
LISTS_SHEET = "可选值"
# Rows offered with drop-down lists and date formats below the header.
PREPARED_ROWS = 2000
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KINDS = {
    columns.TEXT: "文字",
    DATE: "日期（YYYY-MM-DD，也可写2024/3/5或2024年3月5日）",
    columns.INTEGER: "整数",
    columns.AMOUNT: "金额（元）",
    CHOICE: "从可选值中选择",
    OUTCOME: "年度报告统计表的办理结果",
    YES_NO: "是／否",
}
GENERAL_NOTES = (
    "每行填写一件政府信息公开申请；表头可以放在标题行之下，列的顺序不限。",
    "表头可以使用下表“也可使用的列名”中的写法；无法识别的列在导入报告中列出，不导入。",
    "空行、“合计”行和表格下方的说明文字不导入，导入报告中列明。",
    "上传后先进行检查（不导入），检查报告列出每个错误的行、列、内容和原因；确认无误后再导入。",
    "每行按台账中的日期依次登记、审查、补正、征求意见、收费、延期、答复、归档，"
    "与在系统中逐步办理的申请有相同的办理记录，并注明“导入”及文件名、行号。",
    "再次导入同一台账时，台账编号相同（或证件号码、收到申请日期和申请内容均相同）的行不会重复导入。",
    "年度报告已发布的年度不能导入会改变其统计表的申请，除非机关管理员先重新开放该年度。",
)


def _values(column: Column) -> list[str]:
    if column.kind == CHOICE:
        return [label for _, label in column.choices]
    if column.kind == OUTCOME:
        return [label for _, label in vocabulary.OUTCOME_CHOICES]
    if column.kind == YES_NO:
        return ["是", "否"]
    return []


def _help_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    sheet.append(["台账导入填写说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for note in GENERAL_NOTES:
        sheet.append([note])
    sheet.append([])
    header = ["列名", "是否必填", "填写内容", "说明", "可填写的值", "也可使用的列名"]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in columns.COLUMNS:
        values = _values(column)
        if column.kind == OUTCOME:
            values_text = "、".join(values) + "；也可使用统计表中的名称，如“（二）部分公开”"
        else:
            values_text = "、".join(values)
        sheet.append(
            [
                column.header,
                "必填" if column.required else "",
                _KINDS[column.kind],
                column.help,
                values_text,
                "、".join(column.variants),
            ]
        )
    for letter, width in zip("ABCDEF", (20, 9, 22, 48, 60, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _lists_sheet(book: Workbook) -> dict[str, str]:
    """One column of values per choice column; returns the list's range by column key."""
    sheet = book.create_sheet(LISTS_SHEET)
    ranges = {}
    position = 0
    for column in columns.COLUMNS:
        values = _values(column)
        if not values:
            continue
        position += 1
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=column.header).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=position, value=value)
        sheet.column_dimensions[letter].width = 24
        ranges[column.key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def template_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append([column.header for column in columns.COLUMNS])
    sheet.freeze_panes = "A2"
    _help_sheet(book)
    ranges = _lists_sheet(book)
    last = PREPARED_ROWS + 1
    for index, column in enumerate(columns.COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        if column.key in ranges:
            # The office may still type another accepted word: a warning, not a refusal.
            validation = DataValidation(
                type="list", formula1=f"={ranges[column.key]}", errorStyle="warning"
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        if column.kind == DATE:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
