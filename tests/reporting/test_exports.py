"""Exports of the annual table, read back as a user's program would read them.

Every format must show the official layout (merged cells as in the published tables), the dict's
numbers in the right cells, every label verbatim and every check, a failed one visibly marked.
Tables are built by ``annual_table`` from cases recorded through the services, in both templates;
the layout tests also export each with every number made distinct, so that a number in a wrong
cell shows.
"""

import copy
import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from cases import services
from reporting import exports
from reporting.tables import annual_table
from tests.factories import register_case

pytestmark = pytest.mark.django_db

YEAR = 2025
D = dt.date

# The cells of the header rows in the published tables: label -> (label column, rows spanned).
GROUP_CELLS = {
    "2019": {
        "三、本年度办理结果": (0, 20),
        "（三）不予公开": (1, 8),
        "（四）无法提供": (1, 3),
        "（五）不予处理": (1, 5),
    },
    "2021": {
        "三、本年度办理结果": (0, 22),
        "（三）不予公开": (1, 8),
        "（四）无法提供": (1, 3),
        "（五）不予处理": (1, 5),
        "（六）其他处理": (1, 3),
    },
}
HEADER_ROWS = 3
LABEL_COLUMNS = 3
NUMBER_COLUMNS = 7


# Tables


def _answered(handler, *, received, on, outcome, applicant_type="natural_person", reason=""):
    case = register_case(actor=handler, received_on=received, applicant_type=applicant_type)
    case = services.case_review(case=case, actor=handler, on=received)
    return services.case_answer(case=case, actor=handler, outcome=outcome, on=on, reason=reason)


@pytest.fixture
def recorded(agency, handler):
    """Cases of 2024-2026 in several columns and outcome rows; the agency."""
    _answered(handler, received=D(2024, 12, 20), on=D(2025, 1, 10), outcome="disclosed")
    register_case(
        actor=handler, received_on=D(2024, 12, 27), applicant_type="commercial_enterprise"
    )
    for day in (3, 4):
        _answered(handler, received=D(2025, 3, day), on=D(2025, 3, 20), outcome="disclosed")
    _answered(
        handler,
        received=D(2025, 4, 1),
        on=D(2025, 4, 20),
        outcome="partially_disclosed",
        applicant_type="commercial_enterprise",
        reason="部分内容涉及个人隐私",
    )
    _answered(
        handler,
        received=D(2025, 5, 6),
        on=D(2025, 5, 26),
        outcome="withheld_state_secret",
        applicant_type="research_institution",
        reason="属于国家秘密",
    )
    _answered(
        handler,
        received=D(2025, 6, 2),
        on=D(2025, 6, 16),
        outcome="unavailable_not_held",
        applicant_type="social_welfare_organization",
    )
    _answered(
        handler,
        received=D(2025, 7, 1),
        on=D(2025, 7, 8),
        outcome="not_processed_duplicate",
        applicant_type="legal_service_institution",
    )
    withdrawn = register_case(
        actor=handler, received_on=D(2025, 8, 4), applicant_type="other_organization"
    )
    services.case_withdraw(case=withdrawn, actor=handler, on=D(2025, 8, 11))
    _answered(handler, received=D(2025, 12, 29), on=D(2026, 1, 6), outcome="disclosed")
    register_case(actor=handler, received_on=D(2026, 2, 2))
    return agency


def with_distinct_numbers(table: dict) -> dict:
    """A copy whose every number cell holds a different value."""
    table = copy.deepcopy(table)
    body = [row for row in table["rows"] if row["kind"] != "header"]
    for i, row in enumerate(body):
        for j, column in enumerate(table["columns"]):
            row["values"][column["key"]] = 100 * (i + 1) + j
    return table


@pytest.fixture(params=["2019", "2021"], ids=["t2019", "t2021"])
def table(request, recorded):
    table = annual_table(agency=recorded, year=YEAR, template=request.param)
    assert table["template"] == request.param
    values = {row["key"]: row["values"] for row in table["rows"]}
    # Not a table of zeros: the recorded cases show up in several rows and columns.
    assert values["new_received"]["total"] == 8
    assert values["carried_over_from_previous_year"]["total"] == 2
    assert values["partially_disclosed"]["commercial_enterprise"] == 1
    assert values["carried_over_to_next_year"]["total"] == 2
    assert all(check["ok"] for check in table["checks"])
    return table


def variants(table: dict) -> tuple[dict, dict]:
    """The table as built, and with every number distinct (a number in a wrong cell shows)."""
    return table, with_distinct_numbers(table)


@pytest.fixture
def failing(table):
    """The table with a failed check, and a row label and detail that need escaping."""
    table = copy.deepcopy(table)
    table["checks"][0] = {
        **table["checks"][0],
        "ok": False,
        "detail": "自然人：1+0≠0+0 <script>alert(1)</script> & “引号”",
    }
    table["rows"][0]["label"] = "一、本年新收政府信息公开申请数量 <b>&amp;</b>"
    return table


def body_rows(table):
    return [row for row in table["rows"] if row["kind"] != "header"]


def check_lines(table):
    return [f"核对：{'通过' if c['ok'] else '未通过'} {c['detail']}" for c in table["checks"]]


# Reading each format back into a grid: grid[r][c] = (anchor, value), where the cells of one
# merged range share the anchor.


def xlsx_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def xlsx_origin(ws, table) -> tuple[int, int]:
    corner = f"（{table['cross_check']}）"
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == corner:
                return cell.row, cell.column
    raise AssertionError("cross-check cell not found")


def xlsx_grid(content: bytes, table) -> list[list[tuple]]:
    ws = xlsx_sheet(content)
    top, left = xlsx_origin(ws, table)
    anchors = {}
    for merged in ws.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                anchors[(r, c)] = (merged.min_row, merged.min_col)
    grid = []
    for r in range(top, top + HEADER_ROWS + len(body_rows(table))):
        row = []
        for c in range(left, left + LABEL_COLUMNS + NUMBER_COLUMNS):
            anchor = anchors.get((r, c), (r, c))
            row.append((anchor, ws.cell(*anchor).value))
        grid.append(row)
    return grid


def docx_grid(content: bytes) -> list[list[tuple]]:
    docx_table = Document(io.BytesIO(content)).tables[0]
    # A merged cell is one <w:tc> element (the top one of a vertical merge), held in the grid.
    return [[(cell._tc, cell.text) for cell in row.cells] for row in docx_table.rows]


class PageParser(HTMLParser):
    """The first table's rows (cells with spans), the list items with their classes, all tags."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[dict]] = []
        self.items: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.texts: dict[str, str] = {}
        self._cell: dict | None = None
        self._item: list | None = None
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self._current = tag
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = {
                "tag": tag,
                "rowspan": int(attrs.get("rowspan", 1)),
                "colspan": int(attrs.get("colspan", 1)),
                "text": "",
            }
        elif tag == "li":
            self._item = [attrs.get("class", ""), ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell)
            self._cell = None
        elif tag == "li" and self._item is not None:
            self.items.append((self._item[0], self._item[1]))
            self._item = None
        self._current = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._item is not None:
            self._item[1] += data
        elif self._current in ("title", "h1", "h2", "p"):
            self.texts[self._current] = self.texts.get(self._current, "") + data


def parse_html(content: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(content.decode("utf-8"))
    parser.close()
    return parser


def html_grid(content: bytes) -> list[list[tuple]]:
    placed: dict[tuple[int, int], tuple] = {}
    for r, cells in enumerate(parse_html(content).rows):
        c = 0
        for index, cell in enumerate(cells):
            while (r, c) in placed:
                c += 1
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    assert (r + dr, c + dc) not in placed, "overlapping cells"
                    placed[(r + dr, c + dc)] = ((r, index), cell["text"])
            c += cell["colspan"]
    n_rows = 1 + max(r for r, _ in placed)
    n_cols = 1 + max(c for _, c in placed)
    assert len(placed) == n_rows * n_cols, "the table is not rectangular"
    return [[placed[(r, c)] for c in range(n_cols)] for r in range(n_rows)]


# The official layout, checked on a grid


def cell(grid, r, c) -> tuple:
    """(value, rowspan, colspan) of the cell whose top-left is (r, c)."""
    anchor, value = grid[r][c]
    assert r == 0 or grid[r - 1][c][0] != anchor, f"({r},{c}) is not a cell's top-left"
    assert c == 0 or grid[r][c - 1][0] != anchor, f"({r},{c}) is not a cell's top-left"
    rows = cols = 1
    while r + rows < len(grid) and grid[r + rows][c][0] == anchor:
        rows += 1
    while c + cols < len(grid[r]) and grid[r][c + cols][0] == anchor:
        cols += 1
    for dr in range(rows):  # a rectangle
        for dc in range(cols):
            assert grid[r + dr][c + dc][0] == anchor
    return value, rows, cols


def label_column(label: str) -> int:
    """The official rule: 一、 starts in label column 1, （一） in 2, "1." in 3 (0-based here)."""
    if re.match(r"^[一二三四五六七八九十]+、", label):
        return 0
    if label.startswith("（"):
        return 1
    assert re.match(r"^\d+\.", label), label
    return 2


def assert_official_table(grid, table, *, as_text: bool):
    columns = table["columns"]
    body = body_rows(table)
    assert len(grid) == HEADER_ROWS + len(body)
    assert all(len(row) == LABEL_COLUMNS + NUMBER_COLUMNS for row in grid)

    # Header: the cross-check note over 3x3, the group label over the 7 number columns, the
    # group "法人或其他组织" over its 5 members, 自然人 and 总计 down over two rows.
    assert cell(grid, 0, 0) == (f"（{table['cross_check']}）", 3, 3)
    assert cell(grid, 0, 3) == (table["column_group_label"], 1, 7)
    assert cell(grid, 1, 3) == (columns[0]["label"], 2, 1)
    assert cell(grid, 1, 4) == (columns[1]["group"], 1, 5)
    assert [cell(grid, 2, c) for c in range(4, 9)] == [
        (column["label"], 1, 1) for column in columns[1:6]
    ]
    assert cell(grid, 1, 9) == (columns[6]["label"], 2, 1)

    # Body: one grid row per non-header row, in order; its label verbatim in the column of its
    # level and spanning to the last label column; its numbers in column order.
    for i, row in enumerate(body):
        r = HEADER_ROWS + i
        start = label_column(row["label"])
        assert cell(grid, r, start) == (row["label"], 1, LABEL_COLUMNS - start)
        for j, column in enumerate(columns):
            value = row["values"][column["key"]]
            expected = str(value) if as_text else value
            assert cell(grid, r, LABEL_COLUMNS + j) == (expected, 1, 1), (row["key"], column)

    # Header rows: a label cell over exactly their children's rows, in their level's column.
    groups = GROUP_CELLS[table["template"]]
    keys = [row["key"] for row in body]
    for index, row in enumerate(table["rows"]):
        if row["kind"] != "header":
            continue
        first_child = next(r for r in table["rows"][index + 1 :] if r["kind"] != "header")
        r = HEADER_ROWS + keys.index(first_child["key"])
        col, rows = groups[row["label"]]
        assert cell(grid, r, col) == (row["label"], rows, 1)
    assert sum(row["kind"] == "header" for row in table["rows"]) == len(groups)

    # Nothing else in the label columns.
    texts = {grid[r][c][1] for r in range(HEADER_ROWS, len(grid)) for c in range(LABEL_COLUMNS)}
    assert texts == {row["label"] for row in table["rows"]}


# XLSX


def test_xlsx_official_layout_and_numbers(table):
    for variant in variants(table):
        content = exports.to_xlsx(variant)
        assert_official_table(xlsx_grid(content, variant), variant, as_text=False)


def test_xlsx_merged_ranges(table):
    ws = xlsx_sheet(exports.to_xlsx(table))
    top, left = xlsx_origin(ws, table)
    assert (top, left) == (4, 1)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:C6", "D4:J4", "D5:D6", "E5:I5", "J5:J6"} <= merged
    first_result = 4 + HEADER_ROWS + 2  # after 一 and 二
    results = GROUP_CELLS[table["template"]]["三、本年度办理结果"][1]
    assert f"A{first_result}:A{first_result + results - 1}" in merged
    assert ws[f"A{first_result}"].value == "三、本年度办理结果"
    assert "A7:C7" in merged and ws["A7"].value == table["rows"][0]["label"]
    assert f"B{first_result}:C{first_result}" in merged  # （一）予以公开
    assert ws[f"B{first_result}"].value == "（一）予以公开"


def test_xlsx_cells_are_printable(table):
    ws = xlsx_sheet(exports.to_xlsx(table))
    n_rows = HEADER_ROWS + len(body_rows(table))
    ranges = {}
    for merged in ws.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                ranges[(r, c)] = merged.bounds  # (min_col, min_row, max_col, max_row)
    for row in ws.iter_rows(min_row=4, max_row=3 + n_rows, min_col=1, max_col=10):
        for c in row:
            # Every edge of a printed cell (of a merged range: its outer edges) is a thin line.
            left, top, right, bottom = ranges.get((c.row, c.column), (c.column, c.row) * 2)
            edges = {
                "left": c.column == left,
                "right": c.column == right,
                "top": c.row == top,
                "bottom": c.row == bottom,
            }
            for name, edge in edges.items():
                if edge:
                    assert getattr(c.border, name).style == "thin", (c.coordinate, name)
            if (c.row, c.column) == (top, left):  # the cell that holds a merged range's text
                assert c.font.name == "宋体"
            assert 9 <= c.font.size <= 12
    for row in ws.iter_rows(min_row=4 + HEADER_ROWS, max_row=3 + n_rows, min_col=4, max_col=10):
        for c in row:
            assert type(c.value) is int, c.coordinate  # numbers, not text
            assert c.alignment.horizontal == "center"
    assert ws["A4"].font.bold and ws["E6"].font.bold
    assert ws["A4"].alignment.wrap_text
    assert ws.column_dimensions["C"].width > ws.column_dimensions["D"].width

    assert ws.title == f"{YEAR}年申请情况"
    assert ws["A1"].value == f"{table['agency_name']}{YEAR}年政府信息公开工作年度报告"
    assert ws["A2"].value == f"三、{table['title']}"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$6"

    # The table stands alone, ready to paste into the report: nothing below it. The working
    # notes are on the second sheet.
    assert ws.max_row == 3 + n_rows
    notes = load_workbook(io.BytesIO(exports.to_xlsx(table)))["核对"]
    assert [row[0].value for row in notes.iter_rows()] == [
        table["cross_check"],
        *check_lines(table),
    ]


def test_xlsx_failed_check_is_red(failing):
    ws = load_workbook(io.BytesIO(exports.to_xlsx(failing)))["核对"]
    lines = {c.value: c for row in ws.iter_rows() for c in row if str(c.value).startswith("核对")}
    assert list(lines) == check_lines(failing)
    failed = lines[f"核对：未通过 {failing['checks'][0]['detail']}"]
    assert failed.font.color is not None and failed.font.color.rgb.endswith("C00000")
    for check in failing["checks"][1:]:
        ok = lines[f"核对：通过 {check['detail']}"]
        assert ok.font.color is None or not ok.font.color.rgb.endswith("C00000")
    assert_official_table(xlsx_grid(exports.to_xlsx(failing), failing), failing, as_text=False)


# DOCX


def test_docx_official_layout_and_numbers(table):
    for variant in variants(table):
        content = exports.to_docx(variant)
        assert_official_table(docx_grid(content), variant, as_text=True)


def test_docx_is_printable(table):
    document = Document(io.BytesIO(exports.to_docx(table)))
    assert document.paragraphs[0].text == f"三、{table['title']}"
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    docx_table = document.tables[0]
    assert docx_table.style.name == "Table Grid"
    runs = [run for p in document.paragraphs for run in p.runs]
    for row in docx_table.rows:
        for c in row.cells:
            for p in c.paragraphs:
                runs.extend(p.runs)
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        assert run.font.name == "宋体"
    first_number = docx_table.cell(HEADER_ROWS, LABEL_COLUMNS).paragraphs[0]
    assert first_number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # No working notes under the table: it pastes into the report as it is.
    assert [p.text for p in document.paragraphs] == [f"三、{table['title']}"]


def test_docx_carries_no_check_lines_even_when_one_failed(failing):
    document = Document(io.BytesIO(exports.to_docx(failing)))
    assert not [p.text for p in document.paragraphs if p.text.startswith("核对")]
    assert_official_table(docx_grid(exports.to_docx(failing)), failing, as_text=True)


def test_xlsx_and_docx_hold_the_table_alone_for_the_report(failing):
    # What a clerk pastes into the report is the table as published, without working notes.
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(failing)))
    assert workbook.sheetnames == [f"{YEAR}年申请情况", "核对"]
    table_sheet, notes = workbook.worksheets
    assert workbook.active.title == table_sheet.title  # opens on the table
    n_rows = HEADER_ROWS + len(body_rows(failing))
    filled = {c.row for row in table_sheet.iter_rows() for c in row if c.value is not None}
    assert filled == {1, 2, *range(4, 4 + n_rows)}  # title, heading, the table: nothing else
    texts = [str(c.value) for row in table_sheet.iter_rows() for c in row if c.value]
    assert not [text for text in texts if text.startswith("核对")]
    assert [c.value for c in notes["A"]] == [failing["cross_check"], *check_lines(failing)]

    document = Document(io.BytesIO(exports.to_docx(failing)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert not [t for t in [p.text for p in document.paragraphs] + cells if "核对" in t]
    assert len(document.tables) == 1


# HTML


def test_html_official_layout_and_numbers(table):
    for variant in variants(table):
        content = exports.to_html(variant)
        assert_official_table(html_grid(content), variant, as_text=True)


def test_html_is_a_printable_page(table):
    content = exports.to_html(table)
    text = content.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in text
    assert '<meta charset="utf-8">' in text
    assert re.search(r"@page\s*{[^}]*size:\s*A4", text)
    assert "border" in text and "SimSun" in text
    for external in ("<link", "<script", "src=", "url(", "@import", "http"):
        assert external not in text
    page = parse_html(content)
    report = f"{table['agency_name']}{YEAR}年政府信息公开工作年度报告"
    assert report in page.texts["title"]
    assert page.texts["h1"] == report
    assert page.texts["h2"] == f"三、{table['title']}"
    assert page.texts["p"] == table["cross_check"]
    assert [text for _, text in page.items] == check_lines(table)
    assert all("failed" not in css for css, _ in page.items)


def test_html_failed_check_is_marked_and_text_escaped(failing):
    content = exports.to_html(failing)
    page = parse_html(content)
    assert [text for _, text in page.items] == check_lines(failing)
    assert ["failed" in css.split() for css, _ in page.items] == [
        not check["ok"] for check in failing["checks"]
    ]
    assert re.search(r"li\.failed\s*{[^}]*color:", content.decode("utf-8"))
    assert "script" not in page.tags and "b" not in page.tags
    assert_official_table(html_grid(content), failing, as_text=True)


# CSV


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline="")))


@pytest.mark.parametrize("distinct", [False, True], ids=["built", "distinct"])
def test_csv_rows_and_numbers(table, distinct):
    table = with_distinct_numbers(table) if distinct else table
    lines = read_csv(exports.to_csv(table))
    columns = table["columns"]
    assert lines[0] == ["项目"] + [
        f"{c['group']}-{c['label']}" if c.get("group") else c["label"] for c in columns
    ]
    assert lines[0][2] == "法人或其他组织-商业企业"
    n = len(table["rows"])
    for line, row in zip(lines[1 : 1 + n], table["rows"], strict=True):
        assert line[0] == row["label"]
        if row["kind"] == "header":
            assert line[1:] == [""] * len(columns)
        else:
            assert [int(value) for value in line[1:]] == [row["values"][c["key"]] for c in columns]
    assert lines[1 + n :] == [[], [table["cross_check"]], *([line] for line in check_lines(table))]


def test_csv_failed_check(failing):
    lines = read_csv(exports.to_csv(failing))
    assert [f"核对：未通过 {failing['checks'][0]['detail']}"] in lines
    assert lines[1][0] == failing["rows"][0]["label"]


# JSON, file names, registry


def test_json_round_trip(failing):
    content = exports.to_json(failing)
    assert json.loads(content.decode("utf-8")) == failing
    assert "核对：" not in content.decode("utf-8")  # the dict itself, nothing added
    assert failing["title"].encode("utf-8") in content  # not \u-escaped


def test_filenames_are_ascii(table):
    assert exports.filename(table, "xlsx") == f"annual-table-FJRST-{YEAR}-t{table['template']}.xlsx"
    everything = {**table, "agency": "all"}
    assert (
        exports.filename(everything, "csv") == f"annual-table-all-{YEAR}-t{table['template']}.csv"
    )
    odd = {**table, "agency": "福建/../x y"}
    name = exports.filename(odd, "docx")
    assert name.isascii() and "/" not in name and " " not in name and name.endswith(".docx")


def test_registry(table):
    assert set(exports.EXPORTS) == {"csv", "xlsx", "html", "docx", "json"}
    readers = {
        "xlsx": lambda content: xlsx_grid(content, table),
        "docx": docx_grid,
        "html": html_grid,
        "csv": read_csv,
        "json": lambda content: json.loads(content),
    }
    for key, (content_type, function, ext) in exports.EXPORTS.items():
        assert ext == key
        content = function(table)
        assert isinstance(content, bytes)
        readers[key](content)  # each reads back as its format
        if key in ("csv", "html"):
            assert "charset=utf-8" in content_type
    assert exports.EXPORTS["xlsx"][0] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert exports.EXPORTS["docx"][0] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert exports.EXPORTS["json"][0].startswith("application/json")
