"""Writes of the reporting app, one concern per module; import them from here.

- ``snapshots``: draft snapshots of the report, publication (which locks the year), reopening;
- ``appeals``: administrative reconsiderations and lawsuits (section 四) and their documents;
- ``content``: what the office writes and enters for its report (sections 一, 二, 五, 六).
"""

from .appeals import appeal_attach_decision, appeal_create, appeal_update
from .content import report_content_save
from .snapshots import (
    ChecksFailed,
    ReportStale,
    annual_report_generate,
    annual_report_publish,
    may_manage_reports,
    period_reopen,
    validate_scope,
    validate_template,
    validate_year,
)

__all__ = [
    "ChecksFailed",
    "ReportStale",
    "annual_report_generate",
    "annual_report_publish",
    "appeal_attach_decision",
    "appeal_create",
    "appeal_update",
    "may_manage_reports",
    "period_reopen",
    "report_content_save",
    "validate_scope",
    "validate_template",
    "validate_year",
]
