"""An XLSX file of one sheet, written row by row and handed out in pieces as it grows.

openpyxl's write-only mode keeps memory constant too, but writes the sheet to a temporary file
and zips it only when saving: a client would wait minutes for the first byte of a large export
(and a proxy give up on it). Here the sheet is compressed into the ZIP as the rows come, and
each piece is yielded at once (a ZIP written without seeking, sizes in data descriptors), so an
export of a million cases streams from its first row in constant memory. Cells are inline
strings, numbers, and dates as Excel serial numbers with a date format.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limits: rows per sheet, characters per cell, characters of a sheet name.
MAX_ROWS = 1_048_576
MAX_CELL_CHARACTERS = 32_767
MAX_SHEET_NAME = 31
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Characters XML 1.0 cannot hold (control characters other than tab and line breaks).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROWS_PER_PIECE = 500

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Styles: 0 plain, 1 date (yyyy-mm-dd), 2 bold (the header), 3 wrapped text (notes).
_STYLES = (
    f"{_XML}<styleSheet {_NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
DATE_STYLE, BOLD_STYLE, WRAP_STYLE = 1, 2, 3


def _workbook(sheet_name: str) -> str:
    return (
        f"{_XML}<workbook {_NS} {_NS_R}><sheets>"
        f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Sink:
    """What the ZIP writes, kept until the next piece is handed out. It can tell its position
    but not seek, so zipfile writes sizes after each member's data."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._position = 0

    def write(self, data: bytes) -> int:
        self._buffer += data
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL_CHARACTERS:
        value = value[:MAX_CELL_CHARACTERS]
    value = escape(value)
    if value[0].isspace() or value[-1].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _cell(ref: str, value: Any, style: int) -> str:
    kind = type(value)
    if kind is str:
        if not value:
            return ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}" t="inlineStr"{s}>{_text(value)}</c>'
    if value is None:
        return ""
    s = f' s="{style}"' if style else ""
    if kind is bool:
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if kind is int or kind is float or kind is Decimal:
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if kind is dt.datetime:
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{style or DATE_STYLE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{s}>{_text(str(value))}</c>'


def _row(number: int, cells: list[tuple[str, int]], values: Sequence[Any]) -> str:
    """A row's XML; the loop is _cell's, unrolled (a million rows of fifty cells)."""
    r = f'{number}"'
    parts = [f'<row r="{number}">']
    for (start, style), value in zip(cells, values, strict=False):
        kind = type(value)
        if kind is str:
            if value:
                s = f' s="{style}"' if style else ""
                parts.append(f'{start}{r} t="inlineStr"{s}>{_text(value)}</c>')
        elif value is None:
            continue
        elif kind is int or kind is Decimal or kind is float:
            s = f' s="{style}"' if style else ""
            parts.append(f"{start}{r}{s}><v>{value}</v></c>")
        elif kind is dt.date:
            parts.append(
                f'{start}{r} s="{style or DATE_STYLE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
            )
        else:
            parts.append(_cell(f"{start[6:]}{number}", value, style))
    parts.append("</row>")
    return "".join(parts)


def stream_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str,
    widths: Sequence[float] = (),
    styles: Sequence[int] = (),
    large: bool = False,
) -> Iterator[bytes]:
    """The workbook's bytes, piece by piece. ``styles`` gives a column's cell style (e.g. the
    wrapped notes column); ``large`` allows a sheet over 4 GB uncompressed (ZIP64)."""
    sink = _Sink()
    letters = [column_letter(i) for i in range(len(header))]
    styles = list(styles) + [0] * (len(header) - len(styles))
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook(sheet_name[:MAX_SHEET_NAME]))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        yield sink.take()
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=large) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                for i, width in enumerate(widths, start=1)
            )
            head = "".join(
                _cell(f"{letter}1", name, BOLD_STYLE)
                for letter, name in zip(letters, header, strict=True)
            )
            sheet.write(
                (
                    f"{_XML}<worksheet {_NS}>"
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
                    f'<row r="1">{head}</row>'
                ).encode()
            )
            piece: list[str] = []
            cells = list(zip([f'<c r="{letter}' for letter in letters], styles, strict=True))
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS:
                    raise ValueError("more rows than an Excel sheet holds")
                piece.append(_row(number, cells, values))
                if len(piece) >= _ROWS_PER_PIECE:
                    sheet.write("".join(piece).encode())
                    piece.clear()
                    yield sink.take()
            sheet.write(("".join(piece) + "</sheetData></worksheet>").encode())
        yield sink.take()
    yield sink.take()
