"""The annual table as JSON: the dict itself, nothing added, Chinese not escaped."""

from __future__ import annotations

import json

from .base import Table


def to_json(table: Table) -> bytes:
    return json.dumps(table, ensure_ascii=False, indent=2).encode("utf-8")
