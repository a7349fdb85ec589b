"""The annual table's layout: its two templates, columns and rows, and how it prints.

Section 三 of the 政府信息公开工作年度报告 (收到和处理政府信息公开申请情况). The columns, rows and
labels come from the spec (``cases.vocabulary.annual_table_spec``); this module names the keys code
refers to. The models (the template a snapshot uses), the selector that counts the table and the
exports all read it, and it reads none of them.

The printed table (国办公开办函〔2019〕60号 / 〔2021〕30号) has three label columns and one
number column per applicant type. Its header is three rows deep: the cross-check note merged over
the three label columns and the three header rows, the column group label over all number
columns, then the columns (a column with a ``group`` sits under its group's merged cell).

Row labels encode the nesting: "一、" level 1, "（一）" level 2, "1." level 3. A header row
(kind "header") prints no numbers and has no grid row of its own: it is a label cell spanning its
children's rows, in the label column of its level. Any other row gets one grid row; its label cell
starts after the deepest open header above it and spans to the last label column.

Positions are 0-based and count from the table's top-left cell; each format adds its own offset.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from cases.vocabulary import annual_table_spec

# The two official layouts; they differ only in row （六）其他处理.
TEMPLATE_NOTICES = {
    "2019": "国办公开办函〔2019〕60号",
    "2021": "国办公开办函〔2021〕30号",
}
TEMPLATES = tuple(TEMPLATE_NOTICES)
TEMPLATE_CHOICES = [(key, notice) for key, notice in TEMPLATE_NOTICES.items()]
ALL_AGENCIES = "all"
ALL_AGENCIES_NAME = "全部机关"
TOTAL = "total"

# The rows the cross-checks read, by key.
NEW = "new_received"
CARRIED_IN = "carried_over_from_previous_year"
HANDLED = "total_handled"
CARRIED_OUT = "carried_over_to_next_year"

# The first year of the Regulations (2008) and so of annual reports.
FIRST_YEAR = 2008


def default_template(year: int) -> str:
    """Reports for 2019 and 2020 use the 2019 format; from 2021 on, the 2021 format."""
    return "2019" if year <= 2020 else "2021"


@cache
def columns() -> tuple[dict[str, str], ...]:
    return tuple(annual_table_spec()["columns"])


@cache
def applicant_types() -> tuple[str, ...]:
    return tuple(column["key"] for column in columns() if column["key"] != TOTAL)


def column_keys() -> tuple[str, ...]:
    return tuple(column["key"] for column in columns())


def column_label(key: str) -> str:
    return next(column["label"] for column in columns() if column["key"] == key)


@cache
def template_rows(template: str) -> tuple[dict[str, Any], ...]:
    return tuple(annual_table_spec()["templates"][template]["rows"])


@cache
def outcome_rows(template: str) -> dict[str, str]:
    """outcome key -> the row it feeds in this template."""
    return {
        outcome: row["key"]
        for row in template_rows(template)
        for outcome in row.get("outcomes", ())
    }


def cross_check_text() -> str:
    """The verbatim note printed in the table (the spec adds an English gloss after " — ")."""
    return annual_table_spec()["cross_check"].split(" — ")[0]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def row_values(table: dict[str, Any], key: str) -> dict[str, int]:
    """One row's numbers in a table dict, every column present."""
    for row in table["rows"]:
        if row["key"] == key:
            return {column: int(row["values"].get(column, 0)) for column in column_keys()}
    raise KeyError(key)


# The printed grid

LABEL_COLUMNS = 3

CellKind = Literal["header", "group", "label"]

_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
)


@dataclass(frozen=True)
class Cell:
    """A label cell of the grid: ``kind`` is "header" (the column header), "group" (a header
    row's cell spanning its children) or "label" (the label of a number row)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    kind: CellKind

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class NumberRow:
    """The numbers of one table row, in column order, at grid row ``row``."""

    row: int
    key: str
    kind: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Grid:
    header_rows: int
    label_columns: int
    column_keys: tuple[str, ...]
    header: tuple[Cell, ...]
    labels: tuple[Cell, ...]
    numbers: tuple[NumberRow, ...]

    @property
    def n_rows(self) -> int:
        return self.header_rows + len(self.numbers)

    @property
    def n_cols(self) -> int:
        return self.label_columns + len(self.column_keys)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.header + self.labels


def level(label: str) -> int:
    """The nesting level a row label encodes (1, 2 or 3)."""
    for depth, pattern in _LEVELS:
        if pattern.match(label):
            return depth
    raise ValueError(f"row label without a level marker: {label!r}")


def header_cells(table: dict[str, Any]) -> tuple[int, list[Cell]]:
    """(number of header rows, header cells) built from the table's columns."""
    columns = table["columns"]
    grouped = any(column.get("group") for column in columns)
    depth = 3 if grouped else 2
    cells = [
        Cell(0, 0, depth, LABEL_COLUMNS, f"（{table['cross_check']}）", "header"),
        Cell(0, LABEL_COLUMNS, 1, len(columns), table["column_group_label"], "header"),
    ]
    index = 0
    while index < len(columns):
        col = LABEL_COLUMNS + index
        group = columns[index].get("group")
        if not group:
            cells.append(Cell(1, col, depth - 1, 1, columns[index]["label"], "header"))
            index += 1
            continue
        members = 0
        while index + members < len(columns) and columns[index + members].get("group") == group:
            member = columns[index + members]
            cells.append(Cell(2, col + members, 1, 1, member["label"], "header"))
            members += 1
        cells.append(Cell(1, col, 1, members, group, "header"))
        index += members
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return depth, cells


def grid(table: dict[str, Any]) -> Grid:
    """The grid description of a table dict (see the module docstring)."""
    depth, header = header_cells(table)
    keys = tuple(column["key"] for column in table["columns"])
    labels: list[Cell] = []
    numbers: list[NumberRow] = []
    # Open header rows: level -> (first grid row, label column, label).
    open_headers: dict[int, tuple[int, int, str]] = {}

    def close(from_level: int) -> None:
        for lvl in [lvl for lvl in open_headers if lvl >= from_level]:
            first, col, text = open_headers.pop(lvl)
            rows = depth + len(numbers) - first
            if rows < 1:
                raise ValueError(f"header row without rows under it: {text!r}")
            labels.append(Cell(first, col, rows, 1, text, "group"))

    def start_col(lvl: int) -> int:
        return max((outer for outer in open_headers if outer < lvl), default=0)

    for row in table["rows"]:
        lvl = level(row["label"])
        close(lvl)
        if row["kind"] == "header":
            open_headers[lvl] = (depth + len(numbers), start_col(lvl), row["label"])
            continue
        grid_row = depth + len(numbers)
        col = start_col(lvl)
        labels.append(Cell(grid_row, col, 1, LABEL_COLUMNS - col, row["label"], "label"))
        values = tuple(int(row["values"][key]) for key in keys)
        numbers.append(NumberRow(grid_row, row["key"], row["kind"], values))
    close(1)
    labels.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(depth, LABEL_COLUMNS, keys, tuple(header), tuple(labels), tuple(numbers))


# Texts printed around the table (all but the fixed words come from the table dict).


def report_title(table: dict[str, Any]) -> str:
    return f"{table['agency_name']}{table['year']}年政府信息公开工作年度报告"


def section_heading(table: dict[str, Any]) -> str:
    return f"三、{table['title']}"


def sheet_title(table: dict[str, Any]) -> str:
    return f"{table['year']}年申请情况"


def check_line(check: dict[str, Any]) -> str:
    return f"核对：{'通过' if check['ok'] else '未通过'} {check['detail']}"
