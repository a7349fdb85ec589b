from django.urls import path
from rest_framework.routers import DefaultRouter

from .apis import AnnualReportViewSet, AnnualTableView, PeriodViewSet

router = DefaultRouter()
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("periods", PeriodViewSet, basename="period")

urlpatterns = [
    path("annual-table/", AnnualTableView.as_view(), name="annual-table"),
    *router.urls,
]
