from django.apps import apps
from django.urls import path

from .views import applicants, calendar, case, queue, register, reports

app_name = "desk"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("register/", register.register, name="register"),
    path("identity-check/", register.identity_check, name="identity-check"),
    path("cases/<int:pk>/", case.case_page, name="case"),
    path("cases/<int:pk>/facts/", case.case_facts, name="case-facts"),
    path("cases/<int:pk>/facts/<str:name>/", case.case_field, name="case-field"),
    path("cases/<int:pk>/deadline/", case.case_deadline, name="case-deadline"),
    path("cases/<int:pk>/timeline/", case.case_timeline, name="case-timeline"),
    path("cases/<int:pk>/outcome-hint/", case.outcome_hint, name="outcome-hint"),
    path("cases/<int:pk>/actions/<slug:action>/", case.case_action, name="case-action"),
    path("applicants/<int:pk>/", applicants.applicant_page, name="applicant"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/days/", calendar.calendar_day_save, name="calendar-day"),
    path(
        "calendar/days/<int:pk>/delete/",
        calendar.calendar_day_delete,
        name="calendar-day-delete",
    ),
    path("calendar/years/", calendar.calendar_year_save, name="calendar-year"),
    path("reports/", reports.reports_page, name="reports"),
    path("reports/generate/", reports.report_generate, name="report-generate"),
    path("reports/export/", reports.report_export, name="report-export"),
    path("reports/reopen/", reports.period_reopen, name="period-reopen"),
    path("reports/<int:pk>/publish/", reports.report_publish, name="report-publish"),
    path("reports/<int:pk>/export/", reports.snapshot_export, name="snapshot-export"),
]

if apps.is_installed("documents"):
    from .documents_panel import urlpatterns as document_urls

    urlpatterns += document_urls

if apps.is_installed("ledger"):
    from .ledger_pages import urlpatterns as ledger_urls

    urlpatterns += ledger_urls
