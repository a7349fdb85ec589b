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

# The two texts a case can fall under, named one way everywhere. Requests received before
# 2019-05-15 fall under the 2008 text (国务院令第492号, in force 2008-05-01 to 2019-05-14).
REGULATIONS_NAME = "《中华人民共和国政府信息公开条例》"
STATUTE_2019 = REGULATIONS_NAME
STATUTE_2008 = "2008年施行的《中华人民共和国政府信息公开条例》（国务院令第492号）"
# How many articles each text has: a basis citing a later article cites nothing.
ARTICLES_2019 = 56
ARTICLES_2008 = 38

# Outcomes the office must found on a text of its own: there is no default basis.
OUTCOMES_WITHOUT_DEFAULT_BASIS = frozenset({"not_processed_confirmation", "other"})
UNCLEAR_AFTER_CORRECTION = "unavailable_unclear_after_correction"
NOT_RESPONSIBLE = "unavailable_not_responsible"

# The 2008 text's articles for each outcome (its Art. 21 lists the kinds of reply, Art. 22 the
# partial disclosure, Art. 14 secrets and privacy, Art. 8 the "three securities and one
# stability", Art. 23 the third party, Art. 13 the special needs a request must serve).
LEGAL_BASIS_2008 = {
    "disclosed": "第二十一条第（一）项",
    "disclosed_already_public": "第二十一条第（一）项",
    "partially_disclosed": "第二十二条",
    "withheld_state_secret": "第十四条",
    "withheld_prohibited_by_law": "第十四条、第二十一条第（二）项",
    "withheld_security_stability": "第八条",
    "withheld_third_party_rights": "第十四条、第二十三条",
    "withheld_internal_affairs": "第二十一条第（二）项",
    "withheld_process_information": "第二十一条第（二）项",
    "withheld_law_enforcement_file": "第二十一条第（二）项",
    "withheld_administrative_query": "第二十一条第（二）项",
    "unavailable_not_held": "第二十一条第（三）项",
    "unavailable_not_responsible": "第二十一条第（三）项",
    "unavailable_needs_creation": "第二十一条第（三）项",
    "unavailable_unclear_after_correction": "第二十一条第（四）项",
    "not_processed_complaint": "第十三条",
    "not_processed_duplicate": "第十三条",
    "not_processed_publication": "第十三条",
    "not_processed_excessive": "第十三条",
    "other_no_correction": "第二十一条第（四）项",
}


def default_legal_basis(outcome: str, *, regulations: str) -> str:
    """The outcome's basis, naming the text it cites; "" where the office must write its own.

    ``regulations`` is "2019" or "2008" (cases.deadlines.regulations_of).
    """
    if regulations == "2008":
        articles = LEGAL_BASIS_2008.get(outcome, "")
        return f"{STATUTE_2008}{articles}" if articles else ""
    articles = LEGAL_BASIS.get(outcome) or ""
    if not articles or articles.startswith("《"):  # already names its own text (109号)
        return articles
    return f"{STATUTE_2019}{articles}"
