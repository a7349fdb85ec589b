from django.urls import path
from rest_framework.routers import DefaultRouter

from .apis import (
    CaseDocumentsView,
    DeliveryViewSet,
    DocumentSettingsView,
    DocumentTemplateView,
    DocumentViewSet,
)
from .vocabulary import DocumentKind

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("documents", DocumentViewSet, basename="document")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = [
    path("cases/<int:id>/documents/", CaseDocumentsView.as_view(), name="case-documents"),
    path(
        "agencies/<str:code>/document-settings/",
        DocumentSettingsView.as_view(),
        name="agency-document-settings",
    ),
    # /api/agencies/{code}/templates/{kind}/, one route per kind: the schema then names each
    # kind's path, and an unknown kind is simply not found.
    *(
        path(
            f"agencies/<str:code>/templates/{kind}/",
            DocumentTemplateView.as_view(),
            {"kind": kind},
            name=f"agency-document-template-{kind}",
        )
        for kind in DocumentKind.values
    ),
    *router.urls,
]
