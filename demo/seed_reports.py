"""The rest of 福建省人力资源和社会保障厅's 2019 and 2020 reports, entered through the services:
the appeals over its disclosure replies (by a handler) and its section 二 figures and texts (by
its agency admin), from ``data/seed_reports.toml``. The seed cases (``demo.seeds``) must be
logged first: each appeal contests one of them."""

from __future__ import annotations

from django.db import transaction

from cases.models import Agency, Case, User
from demo import datafiles
from reporting import services as reporting_services
from reporting.models import Appeal, ReportContent

_DATA = datafiles.read("seed_reports.toml")
TEMPLATE = "2019"  # the format both reports used
YEARS = tuple(int(year) for year in _DATA["report"])


def has_seed_reports(agency: Agency) -> bool:
    return (
        Appeal.objects.filter(agency=agency, filed_on__year__in=YEARS).exists()
        or ReportContent.objects.filter(agency=agency, year__in=YEARS).exists()
    )


def _contested_case(agency: Agency, entry: dict) -> Case:
    case = (
        Case.objects.filter(
            agency=agency,
            outcome=entry["case_outcome"],
            answered_on__year=entry["case_year"],
            answered_on__lt=entry["filed_on"],
        )
        .order_by("-answered_on", "-pk")
        .first()
    )
    if case is None:
        raise RuntimeError(f"seed reports: no case for the appeal {entry['number']}")
    return case


@transaction.atomic
def log_seed_reports(*, agency: Agency, handler: User, admin: User) -> int:
    """Record the appeals and enter the reports' figures and texts; return how many appeals.
    Does nothing (returns 0) if the agency already has either for 2019–2020."""
    if has_seed_reports(agency):
        return 0
    for entry in _DATA["appeal"]:
        # Filed, then decided months later: two steps, as the office records them.
        appeal = reporting_services.appeal_create(
            actor=handler,
            agency=agency,
            case=_contested_case(agency, entry),
            kind=entry["kind"],
            filed_on=entry["filed_on"],
            body=entry["body"],
            number=entry["number"],
        )
        reporting_services.appeal_update(
            appeal=appeal, actor=handler, result=entry["result"], decided_on=entry["decided_on"]
        )
    for year, report in _DATA["report"].items():
        reporting_services.report_content_save(
            actor=admin,
            agency=agency,
            year=int(year),
            general=report["general"],
            problems=report["problems"],
            other_matters=report["other_matters"],
            website=_DATA["website"],
            contact=_DATA["contact"],
            active_disclosure={TEMPLATE: report["active_disclosure"]},
        )
    return len(_DATA["appeal"])
