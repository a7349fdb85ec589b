"""Celery tasks of the ledger import; the schedule is declared in config/celery.py."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def run_import(batch_id: int) -> dict | None:
    """Run a queued import (a large file). Delivered twice, the second finds it taken."""
    batch = services.import_batch_process(batch_id=batch_id)
    if batch is None:
        return None
    return {"id": batch.pk, "state": batch.state, "rows": batch.rows_done}


@shared_task(acks_late=True)
def run_pending_imports() -> int:
    """Every few minutes: imports whose task never ran (broker down) or whose worker died."""
    done = 0
    for batch_id in services.import_batches_pending():
        try:
            if services.import_batch_process(batch_id=batch_id) is not None:
                done += 1
        except Exception:
            log.exception("Ledger import %s failed", batch_id)
    return done
