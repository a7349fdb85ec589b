"""The models of `reporting`, one concern per module; import them from here."""

from .appeals import Appeal, AppealEvent, AppealKind, AppealResult
from .content import ReportContent
from .snapshots import (
    AnnualReport,
    PeriodAction,
    PeriodEvent,
    ReportMailKind,
    ReportMailSent,
    ReportScope,
    ReportStatus,
)

__all__ = [
    "AnnualReport",
    "Appeal",
    "AppealEvent",
    "AppealKind",
    "AppealResult",
    "PeriodAction",
    "PeriodEvent",
    "ReportContent",
    "ReportMailKind",
    "ReportMailSent",
    "ReportScope",
    "ReportStatus",
]
