"""/api/v1/mediation-organisations/, /api/v1/mediators/, /api/v1/mediation-cases/ (with their actions).
The figures, /api/v1/figures/mediation/, are the reports app's."""

from rest_framework.routers import SimpleRouter

from .views import MediationCaseViewSet, MediationOrganisationViewSet, MediatorViewSet

router = SimpleRouter()
router.register("mediation-organisations", MediationOrganisationViewSet, basename="mediation-organisation")
router.register("mediators", MediatorViewSet, basename="mediator")
router.register("mediation-cases", MediationCaseViewSet, basename="mediation-case")

urlpatterns = router.urls
