"""Taking an uploaded ledger in: whose agency it is for, how large it may be, and whether it is
checked (or imported) at once or handed to a worker. The API and the desk both start imports
here, so that both refuse and accept the same files; the work itself is ledger.services'."""

from __future__ import annotations

import logging
from functools import partial
from typing import IO

from django.conf import settings
from django.db import transaction

from cases import permissions
from cases.errors import InvalidInput, NotPermitted, PayloadTooLarge
from cases.models import Agency, User

from . import services, tasks
from .models import ImportBatch

log = logging.getLogger(__name__)


def check_size(size: int) -> None:
    limit = settings.LEDGER_IMPORT_MAX_BYTES
    if size > limit:
        raise PayloadTooLarge(f"台账文件过大（最多{limit // (1024 * 1024)} MB）")


def importer_agency(user: User, code: str | None) -> Agency:
    """The agency the user imports for: their own; a platform admin names one."""
    if not (user.is_platform_admin or permissions.is_agency_admin(user)):
        raise NotPermitted("只有机关管理员（或平台管理员）可以导入台账")
    code = (code or "").strip().upper()
    if not user.is_platform_admin:
        # Any other code, known or not, gets the same answer: codes cannot be probed.
        if code and code != user.agency.code:
            raise NotPermitted("只能导入本机关的台账", fields={"agency": "只能导入本机关的台账"})
        return user.agency
    if not code:
        raise InvalidInput("请指定机关", fields={"agency": "平台管理员导入台账时必须指定机关代码"})
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise InvalidInput("机关不存在", fields={"agency": f"机关代码“{code}”不存在"})
    return agency


def _enqueue(batch_id: int) -> None:
    try:
        tasks.run_import.delay(batch_id)
    except Exception:  # the broker is down: the periodic job runs queued imports
        log.warning("Ledger import %s: task not queued, left to the periodic job", batch_id)


def start_import(
    *,
    actor: User,
    agency_code: str | None,
    file: IO[bytes],
    file_name: str,
    size: int,
    dry_run: bool = True,
    all_or_nothing: bool = False,
) -> tuple[ImportBatch, bool]:
    """Store the upload and run it: a small file at once, a large one by a worker once this
    transaction commits. Returns the batch and whether it was queued."""
    agency = importer_agency(actor, agency_code)
    check_size(size)
    batch = services.import_batch_create(
        actor=actor,
        agency=agency,
        file=file,
        file_name=file_name,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    if batch.rows_total <= settings.LEDGER_IMPORT_INLINE_ROWS:
        return services.import_batch_process(batch_id=batch.pk) or batch, False
    transaction.on_commit(partial(_enqueue, batch.pk))
    return batch, True
