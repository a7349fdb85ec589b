"""Importing a ledger: the upload checked and stored, then its rows read, checked and replayed
through the services of ``cases`` in batches of rows.

- A dry run (the default) replays every row exactly as an import would, in transactions that
  are rolled back: what it reports is what the import will do, refusals of the lifecycle's
  rules and of the period lock included.
- An import commits one transaction per batch of rows; with ``all_or_nothing`` the whole file
  is one transaction, rolled back if any row has an error.
- A row already imported (same agency and ledger number, or same identity number, day of
  receipt and request text) is not imported again, so a ledger may be imported twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases import clock, permissions
from cases.errors import NotPermitted
from cases.models import Agency, User

from . import columns, selectors
from .models import ImportBatch, ImportedCase, ImportState, LedgerExport
from .progress import Progress
from .reading import SKIP_BLANK, DataRow, Header, LedgerFile
from .replay import RowRefused, note_for, replay
from .report import ImportReport
from .rows import LedgerRow, RowError, parse_row

log = logging.getLogger(__name__)

# Rows per transaction (and per progress update).
CHUNK_ROWS = 200
# A running import not heard of for this long died with its worker; it may be run again (the
# rows it committed are found as its own and not imported twice).
STALE_AFTER = dt.timedelta(minutes=10)
FAILED_SUMMARY = (
    "导入因系统内部错误中止，已导入的批次保留；请联系系统管理员后重新导入（不会重复导入）"
)
_TEMPLATE_NAMES = {column.key: column.header for column in columns.COLUMNS}


def import_batch_create(
    *,
    actor: User,
    agency: Agency,
    file: IO[bytes],
    file_name: str,
    dry_run: bool = True,
    all_or_nothing: bool = False,
) -> ImportBatch:
    """Check the upload's header and store it for the run; refuse a file without a header."""
    if not permissions.may_manage_agency(actor, agency.pk):
        raise NotPermitted("只有本机关的机关管理员（或平台管理员）可以导入台账")
    ledger = LedgerFile(file, file_name)
    ledger.header()  # refuses a file without one (400) before anything is stored
    # Every row but the header's (those above it are read too, and left aside).
    rows_total = max(ledger.count_rows() - 1, 0)
    batch = ImportBatch(
        agency=agency,
        created_by=actor,
        file_name=file_name[:255],
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
        rows_total=rows_total,
    )
    file.seek(0)
    batch.file.save(file_name[-100:] or "ledger", File(file), save=False)
    batch.save()
    return batch


@transaction.atomic
def ledger_export_record(
    *, user: User, export_format: str, query, unmasked: bool, rows: int
) -> LedgerExport:
    """Who exported the ledger, filtered how, and whether personal data went out in full."""
    record = LedgerExport(
        user=user,
        agency=user.agency,
        format=export_format,
        query={key: values if len(values) > 1 else values[0] for key, values in query.lists()},
        unmasked=unmasked,
        rows=rows,
    )
    record.full_clean()
    record.save()
    log.info(
        "Ledger export by %s: %s, %s rows%s",
        user.username,
        export_format,
        rows,
        ", personal data in full" if unmasked else "",
    )
    return record


def import_batch_claim(*, batch_id: int) -> ImportBatch | None:
    """Take a queued (or stale) batch to run; None if another worker has it or it is done."""
    now = timezone.now()
    claimed = (
        ImportBatch.objects.filter(pk=batch_id)
        .filter(
            Q(state=ImportState.QUEUED)
            | Q(state=ImportState.RUNNING, updated_at__lt=now - STALE_AFTER)
        )
        .update(state=ImportState.RUNNING, updated_at=now)
    )
    return (
        ImportBatch.objects.select_related("agency", "created_by").get(pk=batch_id)
        if claimed
        else None
    )


def import_batches_pending() -> list[int]:
    """Batches queued (their task never ran: broker down) or left running by a dead worker."""
    now = timezone.now()
    return list(
        ImportBatch.objects.filter(
            Q(state=ImportState.QUEUED, created_at__lt=now - dt.timedelta(minutes=1))
            | Q(state=ImportState.RUNNING, updated_at__lt=now - STALE_AFTER)
        ).values_list("pk", flat=True)
    )


def import_batch_process(
    *, batch_id: int, on_progress: Callable[..., None] | None = None
) -> ImportBatch | None:
    """Claim and run a batch. An unexpected failure marks it failed (and is raised again).
    ``on_progress(rows_done=, error_count=)`` is told after each batch of rows."""
    batch = import_batch_claim(batch_id=batch_id)
    if batch is None:
        return None
    try:
        return import_batch_run(batch=batch, on_progress=on_progress)
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            report={**batch.report, "summary": FAILED_SUMMARY},
        )
        raise


def import_batch_run(
    *, batch: ImportBatch, on_progress: Callable[..., None] | None = None
) -> ImportBatch:
    """Run a claimed batch to its end; the report is saved on it."""
    report = ImportReport(batch.file_name, batch.dry_run, batch.all_or_nothing)
    with batch.file.open("rb") as stored:
        ledger = LedgerFile(stored, batch.file_name)
        header = ledger.header()
        report.use_header(header, template_names=_TEMPLATE_NAMES)
        runner = _Runner(batch, header, report, on_progress)
        runner.run(ledger.data_rows(header))
        report.sheet, report.encoding = ledger.sheet_name, ledger.encoding
    batch.state = ImportState.DONE
    batch.rows_total = batch.rows_done = runner.rows_done
    batch.error_count = len(report.errors)
    batch.report = report.as_dict()
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _chunks(rows: Iterable[DataRow], size: int) -> Iterator[list[DataRow]]:
    chunk: list[DataRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Runner:
    """One pass over a ledger's rows: read, check, find earlier imports, replay."""

    def __init__(
        self,
        batch: ImportBatch,
        header: Header,
        report: ImportReport,
        on_progress: Callable[..., None] | None,
    ):
        self.batch, self.header, self.report = batch, header, report
        self.agency, self.actor = batch.agency, batch.created_by
        self.commit = not batch.dry_run
        self.whole_file = batch.all_or_nothing and self.commit
        self.today = clock.today()
        self.rows_done = 0
        self.error_rows: set[int] = set()
        self.blank_rows: list[int] = []  # reported only if data follows them
        self.seen_numbers: dict[str, int] = {}
        self.seen_requests: dict[tuple, int] = {}
        self.approvers = selectors.approvers_by_name(agency=self.agency)
        self.progress = Progress(batch.pk, inside_transaction=self.whole_file, listener=on_progress)

    def run(self, rows: Iterable[DataRow]) -> None:
        try:
            with transaction.atomic() if self.whole_file else contextlib.nullcontext():
                for chunk in _chunks(rows, CHUNK_ROWS):
                    self._chunk(chunk)
                    self.progress.update(
                        rows_done=self.rows_done, error_count=len(self.report.errors)
                    )
                if self.batch.all_or_nothing and self.error_rows:
                    self.report.rolled_back = True
                    self.report.rows_created = 0
                    self.report.imported = []
                    if self.whole_file:
                        transaction.set_rollback(True)
        finally:
            self.progress.close()

    def _chunk(self, chunk: list[DataRow]) -> None:
        parsed = [row for data in chunk if (row := self._read(data)) is not None]
        with transaction.atomic():
            if self.commit:
                # One import per agency at a time: the earlier-import lookup below stays true.
                list(Agency.objects.select_for_update().filter(pk=self.agency.pk).values("pk"))
            by_number = selectors.existing_by_number(
                agency=self.agency, numbers=[r.external_number for r in parsed if r.external_number]
            )
            by_request = selectors.existing_by_identity(
                agency=self.agency, keys=[r.identity_key for r in parsed]
            )
            for row in parsed:
                earlier = by_number.get(row.external_number) or by_request.get(row.identity_key)
                if earlier is None:
                    self._replay(row)
                elif earlier.batch_id == self.batch.pk:  # this batch, run again after a crash
                    self._created(row, earlier.reference)
                else:
                    self.report.rows_already_imported += 1
                    self.report.already_imported.append(
                        {"row": row.row, "reference": earlier.reference}
                    )
            if not self.commit:
                transaction.set_rollback(True)

    def _read(self, data: DataRow) -> LedgerRow | None:
        self.rows_done += 1
        if data.skip:
            if data.skip == SKIP_BLANK and data.row > self.header.row:
                self.blank_rows.append(data.row)
            else:
                self.report.skipped.append({"row": data.row, "message": data.skip})
            return None
        self.report.skipped.extend({"row": n, "message": SKIP_BLANK} for n in self.blank_rows)
        self.blank_rows.clear()
        self.report.rows_read += 1
        row, errors = parse_row(data, today=self.today)
        if row is not None:
            errors = self._repeated(row)
        if errors:
            self._fail(errors)
            return None
        return row

    def _repeated(self, row: LedgerRow) -> list[RowError]:
        """A row that repeats an earlier row of the same file."""
        number, request = row.external_number, row.identity_key
        if number and number in self.seen_numbers:
            first = self.seen_numbers[number]
            return [RowError(row.row, "external_number", number, f"与第{first}行的台账编号相同")]
        if request in self.seen_requests:
            first = self.seen_requests[request]
            message = f"与第{first}行是同一申请（证件号码、收到申请日期和申请内容均相同）"
            return [RowError(row.row, "id_number", row.get("id_number"), message)]
        if number:
            self.seen_numbers[number] = row.row
        self.seen_requests[request] = row.row
        return []

    def _replay(self, row: LedgerRow) -> None:
        extension_actor, error = self._extension_actor(row)
        if error is not None:
            self._fail([error])
            return
        note = note_for(self.batch.file_name, row.row)
        if row.external_number:
            note += f"（台账编号 {row.external_number}）"
        try:
            with transaction.atomic():
                case = replay(
                    row,
                    agency=self.agency,
                    actor=self.actor,
                    extension_actor=extension_actor,
                    note=note,
                )
                if self.commit:
                    ImportedCase.objects.create(
                        case=case,
                        agency=self.agency,
                        batch=self.batch,
                        row=row.row,
                        external_number=row.external_number,
                    )
        except RowRefused as refused:
            self._fail(refused.errors)
            return
        except IntegrityError:  # the same number, imported at this moment by another upload
            message = "另一次导入正在导入相同台账编号的申请，请稍后重新导入"
            self._fail([RowError(row.row, "external_number", row.external_number, message)])
            return
        self._created(row, case.reference)

    def _created(self, row: LedgerRow, reference: str) -> None:
        self.report.rows_created += 1
        if self.commit:
            self.report.imported.append({"row": row.row, "reference": reference})

    def _extension_actor(self, row: LedgerRow) -> tuple[User | None, RowError | None]:
        """Who records an imported extension: the approver the row names, else the importer if
        their role may extend (Art. 33: the head of the office approves it)."""
        if row.get("extended_on") is None:
            return None, None
        name = row.get("extension_approver", "")
        if name in self.approvers:
            return self.approvers[name], None
        if self.actor.may_act("extend", self.agency.pk):
            return None, None
        if name:
            message = f"“{name}”不是本机关在职的负责人账号，延期答复须由负责人批准"
        else:
            message = "延期答复须由负责人批准：请在“延期批准人”列填写本机关负责人的用户名或姓名"
        return None, RowError(row.row, "extension_approver", name, message)

    def _fail(self, errors: list[RowError]) -> None:
        self.error_rows.add(errors[0].row)
        self.report.rows_with_errors = len(self.error_rows)
        self.report.add_errors(self.header, errors)
