"""The documents' columns in the ledger export (台账), added through
``ledger.exports.register_export_column`` when the ledger app is installed: the reply's number
and the day it reached the applicant, and the case's other issued documents with theirs. Each
column costs one query per chunk of cases, not one per case. A superseded document is left out:
its correction, issued in its place, is what stands."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Min

from .models import Document
from .vocabulary import DocumentKind, DocumentStatus

REPLY_NUMBER = "答复书文号"
REPLY_DELIVERED = "答复书送达日期"
OTHER_DOCUMENTS = "其他文书（文号、送达日期）"


def _issued(case_ids: list[int], **filters: Any):
    return (
        Document.objects.filter(case_id__in=case_ids, status=DocumentStatus.ISSUED, **filters)
        .annotate(delivered=Min("deliveries__delivered_on"))
        .order_by("case_id", "issued_on", "id")
        .values_list("case_id", "kind", "number", "delivered")
    )


def reply_numbers(case_ids: list[int]) -> dict[int, str]:
    return {case: number for case, _, number, _ in _issued(case_ids, kind=DocumentKind.REPLY)}


def reply_delivered(case_ids: list[int]) -> dict[int, dt.date]:
    return {
        case: delivered
        for case, _, _, delivered in _issued(case_ids, kind=DocumentKind.REPLY)
        if delivered is not None
    }


def other_documents(case_ids: list[int]) -> dict[int, str]:
    """E.g. "政府信息公开申请补正告知书 闽人社公开补〔2026〕3号，2026-03-05送达；…"."""
    titles = dict(DocumentKind.choices)
    found: dict[int, list[str]] = defaultdict(list)
    for case, kind, number, delivered in _issued(case_ids).exclude(kind=DocumentKind.REPLY):
        when = f"，{delivered:%Y-%m-%d}送达" if delivered else "，未送达"
        found[case].append(f"{titles[kind]} {number}{when}")
    return {case: "；".join(parts) for case, parts in found.items()}


def register() -> None:
    from ledger.exports import register_export_column

    register_export_column(REPLY_NUMBER, reply_numbers, width=24)
    register_export_column(REPLY_DELIVERED, reply_delivered, width=14)
    register_export_column(OTHER_DOCUMENTS, other_documents, width=48)
