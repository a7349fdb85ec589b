"""The annual table as CSV: UTF-8 with a BOM so that Excel opens it as Chinese text.

First line ``项目`` and one cell per column; a column with a group is named "<group>-<label>"
(e.g. "法人或其他组织-商业企业"), since labels alone are ambiguous there ("其他"). Then one line
per table row, in order, with the row's label verbatim (header rows with empty number cells), an
empty line, the cross-check note and one line per check ("核对：通过 ..." or "核对：未通过 ...").
"""

from __future__ import annotations

import csv
import io

from ..layout import check_line
from .base import Table, checks


def csv_column_names(table: Table) -> list[str]:
    return [
        f"{column['group']}-{column['label']}" if column.get("group") else column["label"]
        for column in table["columns"]
    ]


def to_csv(table: Table) -> bytes:
    keys = [column["key"] for column in table["columns"]]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["项目", *csv_column_names(table)])
    for row in table["rows"]:
        if row["kind"] == "header":
            writer.writerow([row["label"], *([""] * len(keys))])
        else:
            writer.writerow([row["label"], *(int(row["values"][key]) for key in keys)])
    writer.writerow([])
    writer.writerow([table["cross_check"]])
    for check in checks(table):
        writer.writerow([check_line(check)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
