from rest_framework.routers import DefaultRouter

from .apis import AgencyViewSet, CaseViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
