"""/api/v1/mediation-organisations/, /api/v1/mediators/, /api/v1/mediation-cases/ (with their actions) and
/api/v1/figures/mediation/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import MediationCaseViewSet, MediationFiguresView, MediationOrganisationViewSet, MediatorViewSet

router = SimpleRouter()
router.register("mediation-organisations", MediationOrganisationViewSet, basename="mediation-organisation")
router.register("mediators", MediatorViewSet, basename="mediator")
router.register("mediation-cases", MediationCaseViewSet, basename="mediation-case")

urlpatterns = [
    path("figures/mediation/", MediationFiguresView.as_view(), name="mediation-figures"),
    *router.urls,
]
