"""The reporting API, one module per resource: the tables and snapshots (``tables``), the
report documents (``documents``), the office's content (``content``) and the appeals
(``appeals``)."""

from .appeals import AppealViewSet
from .content import ReportContentViewSet
from .documents import ReportDocxView, ReportHtmlView, ReportPdfView
from .tables import AnnualReportViewSet, AnnualTableView, PeriodViewSet, ReportTablesView

__all__ = [
    "AnnualReportViewSet",
    "AnnualTableView",
    "AppealViewSet",
    "PeriodViewSet",
    "ReportContentViewSet",
    "ReportDocxView",
    "ReportHtmlView",
    "ReportPdfView",
    "ReportTablesView",
]
