"""Ledger files as offices write them, and the calls that upload them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ..factories import resident_id, uscc

# A row as the template's headers name it; a test overrides what it is about.
BASE_ROW = {
    "台账编号": "",
    "申请人类型": "自然人",
    "申请人": "张三",
    "证件类型": "居民身份证",
    "证件号码": "",
    "申请方式": "网上申请",
    "收到申请日期": "2024-03-04",
    "申请内容": "2023年本市城镇职工基本养老保险基金收支情况",
    "办结日期": "2024-03-20",
    "办理结果": "予以公开",
}


def row(**overrides: Any) -> dict[str, Any]:
    """A ledger row by header; ``证件号码`` gets a fresh valid number unless given."""
    values = dict(BASE_ROW)
    values.update(overrides)
    if not values["证件号码"]:
        organisation = values["申请人类型"] not in ("自然人", "natural_person")
        values["证件号码"] = uscc() if organisation else resident_id()
        if organisation and values["证件类型"] == "居民身份证":
            values["证件类型"] = "统一社会信用代码"
    return values


def table(rows: Sequence[dict[str, Any]], headers: Sequence[str] | None = None) -> list[list]:
    """Header row and data rows; ``headers`` may rename or reorder (old name -> its place)."""
    names = list(headers or dict.fromkeys(name for r in rows for name in r))
    return [names, *([r.get(name, "") for name in names] for r in rows)]


def xlsx_bytes(lines: Sequence[Sequence[Any]], *, title: str | None = None) -> bytes:
    """An XLSX of the lines; with ``title``, a merged title row and a blank row above them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(lines[0]))
        sheet.append([])
    for line in lines:
        sheet.append(list(line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: Sequence[Sequence[Any]], *, encoding: str = "utf-8", bom: bool = False):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(client, content: bytes, name: str = "台账.xlsx", **fields: Any):
    """POST /api/imports/ as a multipart form."""
    data = {"file": _named(content, name)}
    for key, value in fields.items():
        data[key] = str(value).lower() if isinstance(value, bool) else value
    return client.post("/api/imports/", data, format="multipart")


def _named(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def errors_of(response) -> list[tuple[int, str, str]]:
    """(row, column, message) of every error in an import's report."""
    return [(e["row"], e["column"], e["message"]) for e in response.json()["report"]["errors"]]
