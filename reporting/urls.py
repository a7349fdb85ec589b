from django.urls import path
from rest_framework.routers import DefaultRouter, SimpleRouter

from .apis import (
    AnnualReportViewSet,
    AnnualTableView,
    AppealViewSet,
    PeriodViewSet,
    ReportContentViewSet,
    ReportDocxView,
    ReportHtmlView,
    ReportPdfView,
    ReportTablesView,
)
from .fee_apis import FeeFiguresView

router = DefaultRouter()
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("periods", PeriodViewSet, basename="period")
router.register("report-contents", ReportContentViewSet, basename="report-content")

# Mounted at /api/reports/.
urlpatterns = [
    path("annual-table/", AnnualTableView.as_view(), name="annual-table"),
    path("report-tables/", ReportTablesView.as_view(), name="report-tables"),
    path("annual-reports/<int:pk>/report.docx", ReportDocxView.as_view(), name="report-docx"),
    path("annual-reports/<int:pk>/report.pdf", ReportPdfView.as_view(), name="report-pdf"),
    path("annual-reports/<int:pk>/report.html", ReportHtmlView.as_view(), name="report-html"),
    path("fee-figures/", FeeFiguresView.as_view(), name="fee-figures"),
    *router.urls,
]

# Mounted at /api/: the appeals sit beside the cases they contest.
appeal_router = SimpleRouter()
appeal_router.register("appeals", AppealViewSet, basename="appeal")
appeal_urlpatterns = appeal_router.urls
