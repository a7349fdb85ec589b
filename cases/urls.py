from rest_framework.routers import DefaultRouter

from .apis import AgencyViewSet, CaseViewSet
from .applicant_apis import ApplicantViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("cases", CaseViewSet, basename="case")
router.register("applicants", ApplicantViewSet, basename="applicant")

urlpatterns = router.urls
