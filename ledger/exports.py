"""The ledger export (台账): one row per case, the import template's columns plus what the
system computes (state, reply deadline, working days left), streamed as XLSX or CSV.

Cases are read as plain rows (``values_list``) from a server-side cursor, chunk by chunk: a
million cases go out in constant memory, and the cost per case is reading its columns, not
building a model instance.

**Extension point.** Other apps add columns with ``register_export_column(header, values)``
from their ``AppConfig.ready()``: the documents app is meant to add each document's number and
delivery date this way ("答复书文号", "答复书送达日期", ...). ``values(case_ids)`` gets the ids of
a chunk of cases and returns ``{case_id: cell}`` (a case it leaves out gets an empty cell), so
an added column costs a query per chunk, not per case. ``ledger`` imports no such app.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from cases import clock, vocabulary
from cases.calendar import work_calendar
from cases.choices import (
    OPEN_STATES,
    CaseState,
    Channel,
    DeliveryForm,
    FeeBasis,
    IdType,
    PartyKind,
)
from cases.deadlines import working_days_left
from cases.models import Case, CaseEvent

from . import columns, xlsx
from .masking import mask_address, mask_email, mask_number

CHUNK_SIZE = 2000
CSV_BOM = "\ufeff"

Row = tuple[Any, ...]


@dataclass(frozen=True)
class ExtraColumn:
    header: str
    values: Callable[[list[int]], dict[int, Any]]
    width: float = 16


_registered: dict[str, ExtraColumn] = {}


def register_export_column(
    header: str, values: Callable[[list[int]], dict[int, Any]], *, width: float = 16
) -> None:
    """Add a column to the ledger export (see the module's docstring); read back by the
    import, it is left aside like the other computed columns."""
    _registered[header] = ExtraColumn(header, values, width)
    columns.ignore_header(header, "系统生成的列，导入时不使用")


def registered_columns() -> list[ExtraColumn]:
    return list(_registered.values())


# What is read of each case, in this order; the columns read these positions.
FIELDS = (
    "id",
    "reference",
    "state",
    "due_on",
    "answered_late",
    "ledger_entry__external_number",
    "extension_approved_by__username",
    "ledger_late_reason",
    "withdrawn_on",
    *(
        column.key
        for column in columns.COLUMNS
        if column.key in {f.name for f in Case._meta.fields}
    ),
)
_AT = {name: position for position, name in enumerate(FIELDS)}
_CHOICES = {
    "applicant_type": vocabulary.APPLICANT_TYPE_CHOICES,
    "id_type": IdType.choices,
    "channel": Channel.choices,
    "delivery_form": DeliveryForm.choices,
    "consultation_party_kind": PartyKind.choices,
    "fee_basis": FeeBasis.choices,
    "outcome": vocabulary.OUTCOME_CHOICES,
    "delivery": DeliveryForm.choices,
    "state": CaseState.choices,
}
_MASKS = {
    "id_number": mask_number,
    "contact_phone": mask_number,
    "contact_email": mask_email,
    "contact_address": mask_address,
}
_WIDTHS = {"description": 40, "reply": 30, "reason": 24, "applicant_name": 16, "id_number": 21}


def _label(name: str) -> Callable[[Row], str]:
    """A choice as its Chinese label (the import reads labels as well as keys)."""
    at, labels = _AT[name], dict(_CHOICES[name])
    return lambda row: labels.get(row[at], row[at] or "")


def _masked(name: str) -> Callable[[Row], str]:
    at, mask = _AT[name], _MASKS[name]
    return lambda row: mask(row[at] or "")


def _yes(name: str) -> Callable[[Row], str]:
    at = _AT[name]
    return lambda row: "是" if row[at] else ""


def _text(name: str) -> Callable[[Row], Any]:
    at = _AT[name]
    return lambda row: row[at] or ""


class _Days:
    """Working days left to a due date, counted once per date on one calendar."""

    def __init__(self) -> None:
        self.cal = work_calendar()
        self.today = clock.today()
        self.known: dict[dt.date, int] = {}
        self.due, self.state = _AT["due_on"], _AT["state"]

    def __call__(self, row: Row) -> int | None:
        due = row[self.due]
        if due is None or row[self.state] not in OPEN_STATES:
            return None
        if due not in self.known:
            self.known[due] = working_days_left(due, today=self.today, cal=self.cal)
        return self.known[due]


def _reader(key: str, *, unmasked: bool) -> Callable[[Row], Any]:
    if key == "external_number":
        return _text("ledger_entry__external_number")
    if key == "extension_approver":
        return _text("extension_approved_by__username")
    if key == "late_reason":
        return _text("ledger_late_reason")
    if key == "withdrawn":
        return _yes("withdrawn_on")
    if key in _CHOICES:
        return _label(key)
    if key in _MASKS and not unmasked:
        return _masked(key)
    return itemgetter(_AT[key])


@dataclass(frozen=True)
class Layout:
    headers: list[str]
    readers: list[Callable[[Row], Any]]
    widths: list[float]
    extra: list[ExtraColumn]


def layout(*, unmasked: bool) -> Layout:
    headers, readers, widths = [], [], []
    for column in columns.COLUMNS:
        headers.append(column.header)
        readers.append(_reader(column.key, unmasked=unmasked))
        widths.append(_WIDTHS.get(column.key, 14))
    computed = {
        "reference": itemgetter(_AT["reference"]),
        "state": _label("state"),
        "due_on": itemgetter(_AT["due_on"]),
        "working_days_left": _Days(),
        "answered_late": _yes("answered_late"),
    }
    for key, header in columns.EXPORT_ONLY:
        headers.append(header)
        readers.append(computed[key])
        widths.append(18 if key == "reference" else 12)
    extra = registered_columns()
    return Layout(
        [*headers, *(c.header for c in extra)],
        readers,
        [*widths, *(c.width for c in extra)],
        extra,
    )


def _values(cases: QuerySet[Case]) -> QuerySet:
    # The latest payment's reason for accepting it late, where there was one.
    late_reason = CaseEvent.objects.filter(case=OuterRef("pk"), action="receive_payment")
    late_reason = late_reason.order_by("-id").values("data__late_reason")[:1]
    cases = cases.prefetch_related(None)  # what the list prefetches for its representation
    return cases.annotate(ledger_late_reason=Subquery(late_reason)).values_list(*FIELDS)


def rows(cases: QuerySet[Case], shape: Layout) -> Iterator[list[Any]]:
    """Each case as the export's cells, in chunks read from a server-side cursor."""
    chunk: list[Row] = []
    for row in _values(cases).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) >= CHUNK_SIZE:
            yield from _chunk_rows(chunk, shape)
            chunk = []
    yield from _chunk_rows(chunk, shape)


def _chunk_rows(chunk: list[Row], shape: Layout) -> Iterable[list[Any]]:
    if not chunk:
        return
    ids = [row[0] for row in chunk]
    extra = [column.values(ids) for column in shape.extra]
    readers = shape.readers
    for row in chunk:
        cells = [read(row) for read in readers]
        if extra:
            cells.extend(values.get(row[0]) for values in extra)
        yield cells


def stream_xlsx(cases: QuerySet[Case], *, unmasked: bool, rows_expected: int) -> Iterator[bytes]:
    shape = layout(unmasked=unmasked)
    # A sheet over 4 GB of XML needs ZIP64; about 60 bytes a cell is generous.
    large = rows_expected * len(shape.headers) * 60 > 3_500_000_000
    return xlsx.stream_xlsx(
        shape.headers,
        rows(cases, shape),
        sheet_name="台账",
        widths=shape.widths,
        large=large,
    )


def stream_csv(cases: QuerySet[Case], *, unmasked: bool) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel opens it in Chinese; dates as YYYY-MM-DD."""
    shape = layout(unmasked=unmasked)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow(shape.headers)
    yield buffer.getvalue().encode()  # at once, before the query runs
    buffer.seek(0)
    buffer.truncate()
    for number, cells in enumerate(rows(cases, shape), start=1):
        writer.writerow(["" if cell is None else cell for cell in cells])
        if number % 1000 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
