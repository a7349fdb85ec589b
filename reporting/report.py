"""The annual report beyond section 三, as one dict: the title and opening, sections 二 and 四,
the texts of sections 一, 五 and 六 with section 六's fee sentence, and the report's checks.

Section 三 stays ``reporting.selectors.annual_table``; a snapshot keeps the two side by side
(``AnnualReport.table`` and ``AnnualReport.report``) and the documents print both. With
``agency=None`` (the platform admins' roll-up) the tables are summed and there are no texts.
"""

from __future__ import annotations

from typing import Any

from cases.models import Agency

from .layout import ALL_AGENCIES, ALL_AGENCIES_NAME, TEMPLATE_NOTICES, default_template
from .models import ReportContent
from .report_layout import (
    BLANK,
    FEES,
    FEES_WAIVED,
    NO_FEES,
    OPENING,
    SECTION_HEADINGS,
    report_title,
)
from .sections import (
    active_disclosure_table,
    fee_figures,
    missing_figures,
    review_litigation_failures,
    review_litigation_table,
)

# Section 六 states the fees from the 2021 format on (国办公开办函〔2021〕30号).
FEE_STATEMENT_TEMPLATES = frozenset({"2021"})
TEXT_CHECKED = (
    ("general", SECTION_HEADINGS["general"]),
    ("problems", SECTION_HEADINGS["problems"]),
    ("other_matters", SECTION_HEADINGS["other_matters"]),
    ("website", "开头段落：年度报告电子版的发布网站"),
    ("contact", "开头段落：联系方式"),
)


def fee_statement(figures: dict[str, Any]) -> str:
    if not figures["notices"] and figures["charged"] == figures["waived"] == "0.00":
        return NO_FEES
    if figures["waived"] != "0.00":
        return FEES_WAIVED.format(**figures)
    return FEES.format(**figures)


def annual_report_sections(
    *, agency: Agency | None, year: int, template: str | None = None
) -> dict[str, Any]:
    """Everything of year Y's report but section 三, with the report's checks."""
    template = template or default_template(year)
    content = ReportContent.objects.filter(agency=agency, year=year).first() if agency else None
    texts = {
        key: (getattr(content, key) or "").strip() if content else "" for key, _ in TEXT_CHECKED
    }
    fees = fee_figures(agency=agency, year=year)
    generated = fee_statement(fees)
    edited = (content.fee_statement or "").strip() if content else ""
    active = active_disclosure_table(agency=agency, year=year, template=template, content=content)
    appeals = review_litigation_table(agency=agency, year=year)
    name = agency.name if agency else ALL_AGENCIES_NAME
    report = {
        "agency": agency.code if agency else ALL_AGENCIES,
        "agency_name": name,
        "year": year,
        "template": template,
        "template_notice": TEMPLATE_NOTICES[template],
        "title": report_title(name, year),
        "opening": OPENING.format(
            agency=name,
            year=year,
            website=texts["website"] or BLANK,
            contact=texts["contact"] or BLANK,
        ),
        "headings": dict(SECTION_HEADINGS),
        **{key: texts[key] for key in ("general", "problems", "other_matters")},
        "website": texts["website"],
        "contact": texts["contact"],
        "fees": fees,
        "fee_statement_generated": generated,
        "fee_statement": (edited or generated) if template in FEE_STATEMENT_TEMPLATES else "",
        "active_disclosure": active,
        "review_litigation": appeals,
    }
    report["checks"] = report_checks(report, texts=agency is not None)
    return report


def report_checks(report: dict[str, Any], *, texts: bool = True) -> list[dict[str, Any]]:
    """Section 二 filled in, section 四's totals, and (for one agency) the texts."""
    checks = []
    missing = missing_figures(report["active_disclosure"])
    checks.append(
        {
            "name": "active_disclosure_filled",
            "ok": not missing,
            "detail": (
                f"第二部分尚有{len(missing)}项未填写："
                + "、".join(missing[:5])
                + ("等" if len(missing) > 5 else "")
            )
            if missing
            else "第二部分各项均已填写",
        }
    )
    failures = review_litigation_failures(report["review_litigation"])
    checks.append(
        {
            "name": "review_litigation_totals",
            "ok": not failures,
            "detail": "；".join(failures) if failures else "第四部分各行总计等于各项之和",
        }
    )
    if texts:
        empty = [label for key, label in TEXT_CHECKED if not report[key]]
        checks.append(
            {
                "name": "texts_filled",
                "ok": not empty,
                "detail": "尚未填写：" + "、".join(empty) if empty else "各部分文字均已填写",
            }
        )
    return checks


def all_checks(table: dict[str, Any], report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check the whole report must pass: section 三's, then the report's."""
    return [*table.get("checks", ()), *report.get("checks", ())]
