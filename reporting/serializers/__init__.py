"""Input and output shapes of the reporting API, one module per resource. Field names are a
contract with outside clients."""

from .appeals import (
    AppealCreateSerializer,
    AppealSerializer,
    AppealUpdateSerializer,
    DecisionUploadSerializer,
    case_appeals,
)
from .content import (
    ReportContentCreateSerializer,
    ReportContentSerializer,
    ReportContentUpdateSerializer,
)
from .tables import (
    AnnualReportCreateSerializer,
    AnnualReportSerializer,
    AnnualTableSerializer,
    PeriodEventSerializer,
    PublishSerializer,
    ReopenSerializer,
    ReportTablesSerializer,
    TableQuerySerializer,
)

__all__ = [
    "AnnualReportCreateSerializer",
    "AnnualReportSerializer",
    "AnnualTableSerializer",
    "AppealCreateSerializer",
    "AppealSerializer",
    "AppealUpdateSerializer",
    "DecisionUploadSerializer",
    "PeriodEventSerializer",
    "PublishSerializer",
    "ReopenSerializer",
    "ReportContentCreateSerializer",
    "ReportContentSerializer",
    "ReportContentUpdateSerializer",
    "ReportTablesSerializer",
    "TableQuerySerializer",
    "case_appeals",
]
