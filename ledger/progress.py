"""Progress of a running import, written where the progress endpoint can read it.

An ordinary import commits after each batch of rows, and its progress is an UPDATE of the batch
row between them. An all-or-nothing import is one transaction until its end, where an UPDATE
would stay invisible; on PostgreSQL its progress goes through a connection of its own (which
never waits on the import: the import does not touch the batch row until it is finished). On
SQLite, which has one writer at a time, such an import shows its progress only at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, connections
from django.utils import timezone

from .models import ImportBatch


class Progress:
    def __init__(
        self,
        batch_id: int,
        *,
        inside_transaction: bool,
        listener: Callable[..., None] | None = None,
    ):
        self.batch_id = batch_id
        self.separate = inside_transaction
        # Told too (the command's progress bar).
        self.listener = listener
        self._connection = None

    def update(self, *, rows_done: int, error_count: int) -> None:
        if self.listener is not None:
            self.listener(rows_done=rows_done, error_count=error_count)
        if not self.separate:
            ImportBatch.objects.filter(pk=self.batch_id).update(
                rows_done=rows_done, error_count=error_count, updated_at=timezone.now()
            )
            return
        if connection.vendor != "postgresql":
            return
        if self._connection is None:
            self._connection = connections.create_connection("default")
        table = ImportBatch._meta.db_table
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, error_count = %s, updated_at = %s "
                "WHERE id = %s",
                [rows_done, error_count, timezone.now(), self.batch_id],
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
