"""What every export format shares: the file a table becomes, its name, the print style."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

Table = dict[str, Any]  # the dict reporting.selectors.annual_table returns

# The print style of the official tables, for the formats that set fonts (XLSX, DOCX).
FONT = "宋体"
FONT_SIZE = 10.5  # 五号
FAILED_COLOR = "C00000"


class ExportFormat(NamedTuple):
    """One entry of the registry: how a format is served and how a table is rendered in it."""

    content_type: str
    render: Callable[[Table], bytes]
    extension: str


@dataclass(frozen=True)
class Export:
    """A table rendered in one format: what an HTTP response or a mail attachment needs."""

    filename: str
    content_type: str
    content: bytes


def checks(table: Table) -> list[dict[str, Any]]:
    """The table's checks (a table stored without them has none)."""
    return list(table.get("checks", ()))


def filename(table: Table, ext: str) -> str:
    """An ASCII-safe file name, e.g. ``annual-table-FJRST-2019-t2019.xlsx``."""

    def safe(value: Any) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "_", str(value)).strip("_") or "x"

    return (
        f"annual-table-{safe(table['agency'])}-{safe(table['year'])}-t{safe(table['template'])}"
        f".{safe(ext).lower()}"
    )
