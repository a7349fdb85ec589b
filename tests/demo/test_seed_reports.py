"""The 2019 and 2020 reports of 福建省人力资源和社会保障厅, rebuilt from the logged seed cases,
appeals and entered figures: sections 二, 三 and 四 equal the agency's published reports cell by
cell (``reporting/reference/``, copies written independently of the seed data), both reports
publish with every check passed, and their Word files read back with those figures."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from cases.models import Agency, User

pytestmark = pytest.mark.django_db

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reporting" / "reference"
REPORTS = "/api/reports/annual-reports/"


def reference(year: int) -> dict:
    with (REFERENCE_DIR / f"fujian-hrss-{year}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def same(value, expected) -> bool:
    """A figure as printed against the transcription (which keeps the PDF's stray spaces)."""
    return str(value).replace(" ", "") == str(expected).replace(" ", "")


def assert_section_two(section: dict, expected: dict) -> int:
    groups = {group["key"]: group for group in section["groups"]}
    assert set(groups) == set(expected)
    checked = 0
    for group_key, rows in expected.items():
        group = groups[group_key]
        labels = {column["label"]: column["key"] for column in group["columns"]}
        by_label = {row["label"]: row for row in group["rows"]}
        assert set(by_label) == set(rows), group_key
        for row_label, cells in rows.items():
            assert set(labels) == set(cells), (group_key, row_label)
            for column_label, value in cells.items():
                got = by_label[row_label]["values"][labels[column_label]]
                assert same(got, value), (group_key, row_label, column_label, got, value)
                checked += 1
    return checked


def assert_section_four(section: dict, expected: dict) -> None:
    rows = {row["key"]: row["values"] for row in section["rows"]}
    assert set(rows) == set(expected)
    for key, cells in expected.items():
        assert rows[key] == cells, key


def assert_section_three(table: dict, expected: dict) -> None:
    rows = {row["key"]: row for row in table["rows"] if row["kind"] != "header"}
    assert set(rows) == set(expected)
    for key, cells in expected.items():
        assert rows[key]["values"] == cells, key


def docx_numbers(content: bytes) -> tuple[Document, list[list[str]]]:
    document = Document(io.BytesIO(content))
    return document, [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]


def test_the_seed_reports_equal_the_published_ones_and_publish(api):
    call_command("load_seed_cases", stdout=io.StringIO())
    agency = Agency.objects.get(code="FJRST")
    admin = User.objects.get(agency=agency, username="agencyadmin")
    client = api(admin)
    for year in (2019, 2020):
        expected = reference(year)
        response = client.post(REPORTS, {"year": year}, format="json")
        assert response.status_code == 201, response.content
        draft = response.json()
        assert (draft["scope"], draft["template"]) == ("report", "2019")
        report, table = draft["report"], draft["table"]

        assert assert_section_two(report["active_disclosure"], expected[
            "active_disclosure_2019_format"
        ]) == 22  # fmt: skip
        assert_section_three(table, expected["rows"])
        assert_section_four(report["review_litigation"], expected["review_litigation"])
        assert all(check["ok"] for check in table["checks"] + report["checks"]), report["checks"]
        assert draft["checks_ok"] is True
        assert report["fee_statement"] == ""  # the 2019 format has no fee sentence

        # The Word file carries the same figures, in the three tables, in order.
        content = client.get(f"{REPORTS}{draft['id']}/report.docx").content
        document, _cells = docx_numbers(content)
        two, three, four = document.tables
        two_text = [[c.text for c in row.cells] for row in two.rows]
        procurement = expected["active_disclosure_2019_format"]["article_20_9"]["政府集中采购"]
        assert ["政府集中采购", "56" if year == 2019 else "24"] == two_text[-1][:2]
        assert same(two_text[-1][-1], procurement["采购总金额"])
        total_row = next(row for row in three.rows if "（七）总计" in [c.text for c in row.cells])
        handled = expected["rows"]["total_handled"]
        assert [c.text for c in total_row.cells[3:]] == [str(v) for v in handled.values()]
        numbers = [c.text for c in four.rows[3].cells]
        assert numbers == [
            str(expected["review_litigation"][key][column])
            for key in ("administrative_review", "litigation_direct", "litigation_after_review")
            for column in ("maintained", "corrected", "other", "pending", "total")
        ]
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == f"福建省人力资源和社会保障厅{year}年政府信息公开工作年度报告"

        published = client.post(f"{REPORTS}{draft['id']}/publish/", {}, format="json")
        assert published.status_code == 200, published.content
        assert published.json()["status"] == "published"
