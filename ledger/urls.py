"""Mounted under /api/ before the cases router: /api/cases/export.xlsx is a file, not a case."""

from django.urls import path

from .apis import (
    CaseExportCSVView,
    CaseExportXLSXView,
    ImportReportFileView,
    ImportViewSet,
    TemplateView,
)

urlpatterns = [
    path("cases/export.xlsx", CaseExportXLSXView.as_view(), name="ledger-export-xlsx"),
    path("cases/export.csv", CaseExportCSVView.as_view(), name="ledger-export-csv"),
    path(
        "imports/",
        ImportViewSet.as_view({"get": "list", "post": "create"}),
        name="ledger-import-list",
    ),
    path("imports/template.xlsx", TemplateView.as_view(), name="ledger-import-template"),
    path(
        "imports/<int:pk>/", ImportViewSet.as_view({"get": "retrieve"}), name="ledger-import-detail"
    ),
    path(
        "imports/<int:pk>/report.xlsx", ImportReportFileView.as_view(), name="ledger-import-report"
    ),
]
