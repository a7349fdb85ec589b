"""Reading a ledger file: XLSX, or CSV in UTF-8 (with or without BOM) or GB18030, the encoding
Excel in China writes; finding the header row below a title; telling data rows from blank
rows, totals and notes.

Rows are numbered as the spreadsheet shows them (from 1), so the report points at the row the
clerk sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from cases.errors import InvalidInput

from . import columns
from .values import as_text, is_blank

# The header is looked for in the first rows; a title, a date line and a blank row come first.
HEADER_SCAN_ROWS = 30
# Fewer known headers than this is not a header row.
MIN_HEADER_MATCHES = 3
MAX_COLUMNS = 200
MAX_SHEETS = 20
MAX_UNPACKED_BYTES = 1024**3
_CSV_SAMPLE = 64 * 1024
_TOTALS = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)")
_NOTE = re.compile(r"^(?:注|说明|备注|填表|制表|审核|签字|负责人|统计)")
_XLSX_MAGIC = b"PK\x03\x04"

SKIP_BLANK = "空行，已忽略"
SKIP_TOTALS = "合计行，已忽略"
SKIP_NOTE = "说明文字，已忽略"
SKIP_ABOVE_HEADER = "表头上方的标题或说明，已忽略"


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"file": message})


def _unreadable(err: Exception) -> InvalidInput:
    return _refuse(f"无法读取该XLSX文件（{type(err).__name__}），请用Excel另存为.xlsx后重试")


@dataclass
class Header:
    row: int
    # Position in the row -> column key, for the columns the import reads.
    keys: dict[int, str]
    # Position -> the header as written in the file (for the report's "column").
    names: dict[int, str]
    unknown: list[str] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)

    def name_of(self, key: str) -> str:
        for position, column_key in self.keys.items():
            if column_key == key:
                return self.names[position]
        return columns.BY_KEY[key].header if key in columns.BY_KEY else key


@dataclass
class DataRow:
    row: int
    values: dict[str, Any]  # column key -> cell as read
    skip: str = ""  # why the row is left aside, or ""


def _decode_csv(raw: IO[bytes]) -> tuple[io.TextIOBase, str]:
    """The file as text: a BOM says the encoding; otherwise UTF-8 if every byte decodes,
    else GB18030 (what Excel saves as "CSV" on a Chinese Windows)."""
    raw.seek(0)
    start = raw.read(4)
    raw.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
        encoding = "utf-8"
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
        raw.seek(0)
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=""), encoding


class LedgerFile:
    """A ledger file's rows, read lazily (constant memory whatever its length)."""

    def __init__(self, raw: IO[bytes], name: str):
        self.raw = raw
        self.name = name
        raw.seek(0)
        self.kind = "xlsx" if raw.read(4) == _XLSX_MAGIC else "csv"
        raw.seek(0)
        self.encoding = ""
        # The sheet read: the first one with a header (a cover or summary sheet may come first).
        self.sheet_index = 0
        self.sheet_name = ""

    def _workbook(self):
        from openpyxl import load_workbook

        self.raw.seek(0)
        try:
            # The sizes the archive declares bound what reading it unpacks (zipfile stops
            # there): a small file that unpacks to gigabytes is refused before it is read.
            with zipfile.ZipFile(self.raw) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise _unreadable(err) from None
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(f"XLSX文件解压后超过{MAX_UNPACKED_BYTES // 1024**2} MB，请拆分后导入")
        self.raw.seek(0)
        # Whatever a damaged or forged file makes openpyxl raise, the answer is the same 400.
        try:
            return load_workbook(self.raw, read_only=True, data_only=True)
        except Exception as err:
            raise _unreadable(err) from None

    def _xlsx_rows(self) -> Iterator[list[Any]]:
        workbook = self._workbook()
        try:
            sheet = workbook.worksheets[self.sheet_index]
            self.sheet_name = sheet.title
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    return
                except Exception as err:
                    raise _unreadable(err) from None
                yield list(values)
        finally:
            workbook.close()

    def _csv_rows(self) -> Iterator[list[Any]]:
        self.raw.seek(0)
        text, self.encoding = _decode_csv(self.raw)
        try:
            sample = text.read(_CSV_SAMPLE)
            text.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            for values in csv.reader(text, dialect):
                yield values[:MAX_COLUMNS]
        except (UnicodeDecodeError, csv.Error) as err:
            raise _refuse(f"无法读取该CSV文件（{err}）") from None
        finally:
            text.detach()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) for every row of the sheet read."""
        source = self._xlsx_rows() if self.kind == "xlsx" else self._csv_rows()
        yield from enumerate(source, start=1)

    def header(self) -> Header:
        """The header row, found in the first rows of the first sheet that has one."""
        sheets = 1
        if self.kind == "xlsx":
            workbook = self._workbook()
            sheets = min(len(workbook.worksheets), MAX_SHEETS)
            workbook.close()
        for index in range(sheets):
            self.sheet_index = index
            best: tuple[int, int, list[Any]] | None = None
            for number, values in self.rows():
                matches = sum(1 for value in values if columns.match_header(value))
                if matches >= MIN_HEADER_MATCHES and (best is None or matches > best[1]):
                    best = (number, matches, values)
                if number >= HEADER_SCAN_ROWS:
                    break
            if best is not None:
                return _header(best[0], best[2])
        self.sheet_index = 0
        raise _refuse(
            f"前{HEADER_SCAN_ROWS}行中没有找到表头：表头应包含“申请人”“收到申请日期”"
            "“申请内容”等列名（见导入模板）"
        )

    def data_rows(self, header: Header) -> Iterator[DataRow]:
        """Every row but the header: the ones above it and the blank, totals and note rows
        below it carry why they are left aside."""
        for number, values in self.rows():
            if number == header.row:
                continue
            cells = [v for v in values if not is_blank(v)]
            if not cells:
                yield DataRow(number, {}, SKIP_BLANK)
                continue
            if number < header.row:
                yield DataRow(number, {}, SKIP_ABOVE_HEADER)
                continue
            first = as_text(cells[0])
            if _TOTALS.match(first):
                yield DataRow(number, {}, SKIP_TOTALS)
                continue
            if len(cells) == 1 and _NOTE.match(first):
                yield DataRow(number, {}, SKIP_NOTE)
                continue
            row = {
                key: values[position]
                for position, key in header.keys.items()
                if position < len(values) and not is_blank(values[position])
            }
            yield DataRow(number, row)

    def count_rows(self) -> int:
        """How many rows the sheet has, cheaply: the XLSX's recorded dimension, or the CSV's
        line breaks (a quoted line break counts too: it serves for progress, not counting)."""
        if self.kind == "xlsx":
            workbook = self._workbook()
            try:
                recorded = workbook.worksheets[self.sheet_index].max_row
            except Exception as err:
                raise _unreadable(err) from None
            finally:
                workbook.close()
            if recorded:
                return recorded
            return sum(1 for _ in self.rows())
        self.raw.seek(0)
        lines, last = 0, b""
        while chunk := self.raw.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
        self.raw.seek(0)
        return lines + (1 if last not in (b"", b"\n") else 0)


def _header(number: int, values: list[Any]) -> Header:
    header = Header(row=number, keys={}, names={})
    for position, value in enumerate(values):
        if is_blank(value):
            continue
        name = as_text(value)
        key = columns.match_header(value)
        if key is None:
            why = columns.ignored_header(value)
            if why:
                header.ignored.append({"column": name, "message": why})
            else:
                header.unknown.append(name)
            continue
        if key in header.keys.values():
            first = header.name_of(key)
            header.ignored.append({"column": name, "message": f"与“{first}”列重复，已忽略"})
            continue
        header.keys[position] = key
        header.names[position] = name
    missing = [c for c in columns.required_columns() if c.key not in header.keys.values()]
    if missing:
        names = "、".join(f"“{c.header}”" for c in missing)
        raise _refuse(
            f"第{number}行的表头缺少必需的列：{names}（列名可使用模板“填写说明”中的写法）"
        )
    return header
