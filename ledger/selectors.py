"""Reads of the ledger app: import batches as their users may see them, the cases a ledger's
rows were imported as before, and the approvers an imported extension may name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from cases.errors import NotFound
from cases.models import Agency, Case, Role, User

from .models import ImportBatch, ImportedCase


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.select_related("agency", "created_by")
    if user.is_platform_admin:
        return batches
    return batches.filter(agency_id=user.agency_id)


def import_batch_get(*, user: User, batch_id: int) -> ImportBatch:
    batch = import_batch_list(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("导入记录不存在或不属于您所在的机关")
    return batch


@dataclass(frozen=True)
class Existing:
    """A case a row was imported as before (or, resumed, by this same batch)."""

    reference: str
    batch_id: int | None


def existing_by_number(*, agency: Agency, numbers: Iterable[str]) -> dict[str, Existing]:
    rows = ImportedCase.objects.filter(agency=agency, external_number__in=set(numbers))
    return {
        number: Existing(reference, batch_id)
        for number, reference, batch_id in rows.values_list(
            "external_number", "case__reference", "batch_id"
        )
    }


def existing_by_identity(
    *, agency: Agency, keys: Iterable[tuple[str, dt.date, str]]
) -> dict[tuple[str, dt.date, str], Existing]:
    """The agency's cases with the same identity number, day of receipt and request text."""
    keys = list(keys)
    if not keys:
        return {}
    found = Case.objects.filter(
        agency=agency,
        received_on__in={day for _, day, _ in keys},
        id_number__in={number for number, _, _ in keys},
    ).values_list("id_number", "received_on", "description", "reference", "ledger_entry__batch_id")
    wanted = set(keys)
    result = {}
    for number, day, description, reference, batch_id in found:
        key = (number, day, description.strip())
        if key in wanted:
            result.setdefault(key, Existing(reference, batch_id))
    return result


def approvers_by_name(*, agency: Agency) -> dict[str, User]:
    """The agency's active approvers by username, and by full name where it is unambiguous."""
    users = list(User.objects.filter(agency=agency, role=Role.APPROVER, is_active=True))
    names: dict[str, list[User]] = {}
    for user in users:
        if user.get_full_name():
            names.setdefault(user.get_full_name(), []).append(user)
    result = {name: same[0] for name, same in names.items() if len(same) == 1}
    result.update({user.username: user for user in users})
    return result
