"""The annual report's layout around section 三: its headings, the opening paragraph, and the
tables of sections 二 and 四, in both formats. Every Chinese label here is verbatim from the
official formats (国办公开办函〔2019〕60号, 〔2021〕30号) and lives only here; section 三's labels
come from ``annual-table.json`` (``reporting.layout``).

Section 二 (主动公开政府信息情况) is a list of groups, one per item of Art. 20, each with its own
column header ("信息内容" and the group's columns) and rows. Values are counts (whole numbers
from zero), changes (本年增/减, whole numbers of either sign) or amounts (a decimal with its
unit; 采购总金额 of the 2019 format names its unit, 元 or 万元, the 2021 format fixes 万元 in the
label). Section 四 (政府信息公开行政复议、行政诉讼情况) has one row per kind of appeal and the
same five columns for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .layout import Cell, grid

COUNT, CHANGE, AMOUNT = "count", "change", "amount"
FIGURE_KINDS = (COUNT, CHANGE, AMOUNT)

SECTION_HEADINGS = {
    "general": "一、总体情况",
    "active_disclosure": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
# The texts an office writes for the report (and what the API calls them).
TEXT_FIELDS = {
    "general": SECTION_HEADINGS["general"],
    "problems": SECTION_HEADINGS["problems"],
    "other_matters": SECTION_HEADINGS["other_matters"],
    "website": "年度报告电子版的发布网站",
    "contact": "联系方式",
}

# Art. 49, 50 of the Regulations: what the opening paragraph of every report states.
OPENING = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条规定，"
    "由{agency}编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
    "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    "本报告电子版可在{website}查阅或下载。如对本报告有任何疑问，请与{contact}联系。"
)
# Placeholders printed while the office has not filled the opening's blanks in.
BLANK = "＿＿＿＿"


def report_title(agency_name: str, year: int) -> str:
    return f"{agency_name}{year}年政府信息公开工作年度报告"


# Section 六's sentence on the information-processing fees (国办函〔2020〕109号), 2021 format on.
NO_FEES = "本年度未收取信息处理费。"
FEES = "本年度共发出收取信息处理费的通知{notices}件，实际收取信息处理费{charged}元。"
FEES_WAIVED = (
    "本年度共发出收取信息处理费的通知{notices}件，实际收取信息处理费{charged}元，"
    "减免信息处理费{waived}元。"
)


# Section 二

LABEL_HEADER = "信息内容"
AMOUNT_UNITS = ("元", "万元")
TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class FigureColumn:
    key: str
    label: str
    kind: str = COUNT
    # Amounts: the units the cell may be given in; one unit is fixed by the label, not printed.
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str


@dataclass(frozen=True)
class FigureGroup:
    key: str
    label: str
    columns: tuple[FigureColumn, ...]
    rows: tuple[FigureRow, ...]


_MADE = FigureColumn("made", "本年新制作数量")
_PUBLISHED = FigureColumn("published", "本年新公开数量")
_PUBLIC_TOTAL = FigureColumn("public_total", "对外公开总数量")
_PREVIOUS_ITEMS = FigureColumn("previous_items", "上一年项目数量")
_CHANGE = FigureColumn("change", "本年增/减", CHANGE)
_DECISIONS_2019 = FigureColumn("decisions", "处理决定数量")
_DECISIONS_2021 = FigureColumn("decisions", "本年处理决定数量")
_REGULATIONS = FigureRow("regulations", "规章")
_PENALTY = FigureRow("administrative_penalty", "行政处罚")
_COERCION = FigureRow("administrative_coercion", "行政强制")
_LICENSING = FigureRow("administrative_licensing", "行政许可")
_FEES = FigureRow("administrative_fees", "行政事业性收费")

ACTIVE_DISCLOSURE: dict[str, tuple[FigureGroup, ...]] = {
    "2019": (
        FigureGroup(
            "article_20_1",
            "第二十条第（一）项",
            (_MADE, _PUBLISHED, _PUBLIC_TOTAL),
            (_REGULATIONS, FigureRow("normative_documents", "规范性文件")),
        ),
        FigureGroup(
            "article_20_5",
            "第二十条第（五）项",
            (_PREVIOUS_ITEMS, _CHANGE, _DECISIONS_2019),
            (_LICENSING, FigureRow("other_services", "其他对外管理服务事项")),
        ),
        FigureGroup(
            "article_20_6",
            "第二十条第（六）项",
            (_PREVIOUS_ITEMS, _CHANGE, _DECISIONS_2019),
            (_PENALTY, _COERCION),
        ),
        FigureGroup("article_20_8", "第二十条第（八）项", (_PREVIOUS_ITEMS, _CHANGE), (_FEES,)),
        FigureGroup(
            "article_20_9",
            "第二十条第（九）项",
            (
                FigureColumn("procurement_items", "采购项目数量"),
                FigureColumn("procurement_amount", "采购总金额", AMOUNT, AMOUNT_UNITS),
            ),
            (FigureRow("government_procurement", "政府集中采购"),),
        ),
    ),
    "2021": (
        FigureGroup(
            "article_20_1",
            "第二十条第（一）项",
            (
                FigureColumn("issued", "本年制发件数"),
                FigureColumn("repealed", "本年废止件数"),
                FigureColumn("in_force", "现行有效件数"),
            ),
            (_REGULATIONS, FigureRow("normative_documents", "行政规范性文件")),
        ),
        FigureGroup("article_20_5", "第二十条第（五）项", (_DECISIONS_2021,), (_LICENSING,)),
        FigureGroup(
            "article_20_6", "第二十条第（六）项", (_DECISIONS_2021,), (_PENALTY, _COERCION)
        ),
        FigureGroup(
            "article_20_8",
            "第二十条第（八）项",
            (FigureColumn("fee_amount", "本年收费金额（单位：万元）", AMOUNT, ("万元",)),),
            (_FEES,),
        ),
    ),
}
# The printed table is as wide as its widest group; a narrower group's last column spans the rest.
FIGURE_COLUMNS = 3


def figure_cells(template: str) -> list[tuple[FigureGroup, FigureRow, FigureColumn]]:
    return [
        (group, row, column)
        for group in ACTIVE_DISCLOSURE[template]
        for row in group.rows
        for column in group.columns
    ]


def cell_name(group: FigureGroup, row: FigureRow, column: FigureColumn) -> str:
    return f"{group.label}“{row.label}”的“{column.label}”"


_AMOUNT = re.compile(r"^(?P<number>\d{1,12}(?:\.\d{1,2})?)(?P<unit>元|万元)?$")


def parse_amount(text: str, units: tuple[str, ...]) -> tuple[Decimal, str]:
    """An amount as written ("3435.54万元", "12178757元"; whitespace ignored): its number and
    unit. A column with one unit takes it when none is written; otherwise the unit is needed."""
    match = _AMOUNT.match(re.sub(r"\s+", "", str(text)))
    if not match:
        raise ValueError("金额应为不超过两位小数的非负数，可带单位（元或万元）")
    unit = match["unit"] or (units[0] if len(units) == 1 else "")
    if unit not in units:
        raise ValueError(f"请注明金额单位（{'或'.join(units)}）" if not unit else "金额单位有误")
    try:
        return Decimal(match["number"]), unit
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError("金额无效") from None


def format_amount(number: Decimal, unit: str, units: tuple[str, ...]) -> str:
    """As printed: the number, and the unit unless the label fixes it."""
    text = f"{number.normalize():f}"
    return text if len(units) == 1 else f"{text}{unit}"


def amount_in_ten_thousands(text: str, units: tuple[str, ...]) -> Decimal:
    number, unit = parse_amount(text, units)
    return number if unit == "万元" else number / TEN_THOUSAND


# Section 四

REVIEW_LITIGATION_COLUMNS = (
    ("maintained", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
REVIEW_LITIGATION_RESULTS = ("maintained", "corrected", "other")
PENDING, TOTAL = "pending", "total"
REVIEW = "行政复议"
LITIGATION = "行政诉讼"
# row key (as in the reference figures), label, the group printed above it, the appeal kind.
REVIEW_LITIGATION_ROWS = (
    ("administrative_review", REVIEW, "", "review"),
    ("litigation_direct", "未经复议直接起诉", LITIGATION, "litigation_direct"),
    ("litigation_after_review", "复议后起诉", LITIGATION, "litigation_after_review"),
)
ROW_OF_KIND = {kind: key for key, _label, _group, kind in REVIEW_LITIGATION_ROWS}


# The printed tables: every cell of a section's grid with its position and span, as
# ``reporting.layout.Cell`` (kind "header", "label" or "number"), for the DOCX and HTML alike.


@dataclass(frozen=True)
class PrintedTable:
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[Cell, ...]
    # Relative column widths.
    widths: tuple[float, ...]


def figure_text(value) -> str:
    return "" if value is None else str(value)


def active_disclosure_grid(section: dict) -> PrintedTable:
    """Section 二: per group, its title across the table, its column header, its rows; a group
    with fewer columns than the widest lets its last column span the rest."""
    width = max(len(group["columns"]) for group in section["groups"])
    cells: list[Cell] = []
    row = 0
    for group in section["groups"]:
        columns = group["columns"]
        spans = [1] * (len(columns) - 1) + [width - len(columns) + 1]
        cells.append(Cell(row, 0, 1, width + 1, group["label"], "header"))
        cells.append(Cell(row + 1, 0, 1, 1, section["label_header"], "header"))
        col = 1
        for column, span in zip(columns, spans, strict=True):
            cells.append(Cell(row + 1, col, 1, span, column["label"], "header"))
            col += span
        row += 2
        for figures in group["rows"]:
            cells.append(Cell(row, 0, 1, 1, figures["label"], "label"))
            col = 1
            for column, span in zip(columns, spans, strict=True):
                text = figure_text(figures["values"][column["key"]])
                cells.append(Cell(row, col, 1, span, text, "number"))
                col += span
            row += 1
    return PrintedTable(row, width + 1, 0, tuple(cells), (2.2,) + (1.0,) * width)


def review_litigation_grid(section: dict) -> PrintedTable:
    """Section 四: 行政复议 with its five columns, then 行政诉讼 over its two kinds, each with
    the same five columns; one row of numbers."""
    columns = section["columns"]
    size = len(columns)
    cells: list[Cell] = []
    numbers: list[Cell] = []
    col = 0
    groups: dict[str, int] = {}
    for row in section["rows"]:
        group = row["group"]
        if not group:
            cells.append(Cell(0, col, 1, size, row["label"], "header"))
            header_row, depth = 1, 2
        else:
            if group not in groups:
                members = sum(1 for other in section["rows"] if other["group"] == group)
                groups[group] = col
                cells.append(Cell(0, col, 1, size * members, group, "header"))
            cells.append(Cell(1, col, 1, size, row["label"], "header"))
            header_row, depth = 2, 1
        for index, column in enumerate(columns):
            cells.append(Cell(header_row, col + index, depth, 1, column["label"], "header"))
            numbers.append(Cell(3, col + index, 1, 1, str(row["values"][column["key"]]), "number"))
        col += size
    return PrintedTable(4, col, 3, tuple(cells + numbers), (1.0,) * col)


def requests_grid(table: dict) -> PrintedTable:
    """Section 三 (``reporting.layout.grid``) as a printed table."""
    layout = grid(table)
    numbers = [
        Cell(number_row.row, layout.label_columns + index, 1, 1, str(value), "number")
        for number_row in layout.numbers
        for index, value in enumerate(number_row.values)
    ]
    widths = (12.0, 17.0, 57.0) + (12.0,) * len(layout.column_keys)
    return PrintedTable(
        layout.n_rows, layout.n_cols, layout.header_rows, layout.cells + tuple(numbers), widths
    )
