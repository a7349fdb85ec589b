"""The official vocabulary: applicant types, outcomes, their labels and legal bases.

Every Chinese label the annual table prints comes from ``domain/annual-table.json``, a verbatim
copy of the specification's file, and is read only here. Code refers to keys; labels and legal
bases are looked up from this module.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).resolve().parent / "domain" / "annual-table.json"


@cache
def annual_table_spec() -> dict[str, Any]:
    with SPEC_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _choices(section: str) -> list[tuple[str, str]]:
    return [(item["key"], item["label"]) for item in annual_table_spec()[section]]


APPLICANT_TYPE_CHOICES = _choices("applicant_types")
OUTCOME_CHOICES = _choices("outcomes")
LEGAL_BASIS = {item["key"]: item.get("legal_basis", "") for item in annual_table_spec()["outcomes"]}

# Outcomes that only withdraw and lapse record (answer must not take them).
WITHDRAWN = "withdrawn"
NO_CORRECTION = "other_no_correction"
FEE_UNPAID = "other_fee_unpaid"
OUTCOMES_NOT_ANSWERABLE = frozenset({WITHDRAWN, NO_CORRECTION, FEE_UNPAID})

# Withholding (Art. 14-16, 36(3)) and partial disclosure (Art. 37) must state their reason.
PARTIALLY_DISCLOSED = "partially_disclosed"
OUTCOMES_NEEDING_REASON = frozenset(
    key for key, _ in OUTCOME_CHOICES if key.startswith("withheld_") or key == PARTIALLY_DISCLOSED
)

ORGANISATION_TYPES = frozenset(key for key, _ in APPLICANT_TYPE_CHOICES) - {"natural_person"}
