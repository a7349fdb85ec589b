"""What an import (or its dry run) found: counts, the rows left aside, the rows already
imported, and every error as ``{row, column, value, message}`` in Chinese."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from . import xlsx
from .reading import Header, LedgerFile
from .rows import RowError
from .values import as_text


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    all_or_nothing: bool
    sheet: str = ""
    encoding: str = ""
    header_row: int = 0
    # The columns read: the header as written and the template's name for it.
    columns: list[dict[str, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[dict[str, str]] = field(default_factory=list)
    rows_read: int = 0
    rows_created: int = 0
    rows_already_imported: int = 0
    rows_with_errors: int = 0
    # All-or-nothing with errors: nothing was imported.
    rolled_back: bool = False
    skipped: list[dict[str, Any]] = field(default_factory=list)
    already_imported: list[dict[str, Any]] = field(default_factory=list)
    imported: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def use_header(self, header: Header, *, template_names: dict[str, str]) -> None:
        self.header_row = header.row
        self.columns = [
            {"column": header.names[position], "template_column": template_names[key]}
            for position, key in sorted(header.keys.items())
        ]
        self.unknown_columns = list(header.unknown)
        self.ignored_columns = list(header.ignored)

    def add_errors(self, header: Header, errors: list[RowError]) -> None:
        for error in errors:
            self.errors.append(
                {
                    "row": error.row,
                    "column": header.name_of(error.column),
                    "value": error.value,
                    "message": error.message,
                }
            )

    @property
    def summary(self) -> str:
        parts = [f"读取{self.rows_read}行"]
        if self.rolled_back:
            parts.append(f"{self.rows_with_errors}行有错误")
            verb = "检查" if self.dry_run else "导入"
            return "，".join(parts) + f"；按“有错误则全部不导入”的要求，{verb}结果为不导入任何行。"
        created = "可以导入" if self.dry_run else "已导入"
        parts.append(f"{created}{self.rows_created}行")
        if self.rows_already_imported:
            parts.append(f"{self.rows_already_imported}行此前已导入（不再重复导入）")
        if self.rows_with_errors:
            parts.append(f"{self.rows_with_errors}行有错误（未导入）")
        if self.skipped:
            parts.append(f"忽略{len(self.skipped)}行（空行、标题、合计或说明）")
        tail = "（仅检查，未导入任何数据）" if self.dry_run else ""
        return "，".join(parts) + "。" + tail

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = self.summary
        return data


def row_notes(report: dict[str, Any]) -> dict[int, str]:
    """What the report says of each row, for the report file's extra column."""
    notes: dict[int, list[str]] = defaultdict(list)
    for item in report.get("skipped", []):
        notes[item["row"]].append(item["message"])
    for item in report.get("already_imported", []):
        notes[item["row"]].append(f"此前已导入（{item['reference']}），未重复导入")
    for item in report.get("errors", []):
        value = f"“{item['value']}”" if item["value"] else ""
        notes[item["row"]].append(f"【{item['column']}】{value}{item['message']}")
    for item in report.get("imported", []):
        notes[item["row"]].append(f"已导入（{item['reference']}）")
    return {row: "；".join(texts) for row, texts in notes.items()}


def report_text(report: dict[str, Any], *, limit: int | None = None) -> str:
    """The report as lines of text (the import_cases command prints it)."""
    lines = [report.get("summary", "")]
    if report.get("header_row"):
        where = f"工作表“{report['sheet']}”" if report.get("sheet") else "文件"
        lines.append(f"表头：{where}第{report['header_row']}行")
    if report.get("encoding"):
        lines.append(f"编码：{report['encoding']}")
    for name in report.get("unknown_columns", []):
        lines.append(f"无法识别的列“{name}”，已忽略")
    for item in report.get("ignored_columns", []):
        lines.append(f"列“{item['column']}”：{item['message']}")
    for item in report.get("skipped", []):
        lines.append(f"第{item['row']}行：{item['message']}")
    for item in report.get("already_imported", []):
        lines.append(f"第{item['row']}行：此前已导入（{item['reference']}）")
    errors = report.get("errors", [])
    for item in errors[:limit] if limit else errors:
        value = f"“{item['value']}”" if item["value"] else ""
        lines.append(f"第{item['row']}行【{item['column']}】{value}：{item['message']}")
    if limit and len(errors) > limit:
        lines.append(f"……另有{len(errors) - limit}个错误，见报告文件")
    return "\n".join(lines)


REPORT_COLUMN = "导入检查结果"


def report_xlsx(ledger: LedgerFile, report: dict[str, Any]) -> Iterator[bytes]:
    """The uploaded file's rows as they were, with the report's word on each row in a first
    column: fix the errors there and upload the file again (the column is not imported)."""
    notes = row_notes(report)
    header_row = report.get("header_row")
    ledger.header()  # the sheet the import read

    def rows() -> Iterator[list[Any]]:
        for number, values in ledger.rows():
            if number == 1:
                continue  # the first row is the sheet's header row below
            note = REPORT_COLUMN if number == header_row else notes.get(number, "")
            yield [note, *values]

    first = next(ledger.rows(), (1, []))[1]
    first_note = REPORT_COLUMN if header_row == 1 else notes.get(1, "")
    return xlsx.stream_xlsx(
        [first_note, *(as_text(value) for value in first)],
        rows(),
        sheet_name="导入检查报告",
        widths=[48],
        styles=[xlsx.WRAP_STYLE],
    )
