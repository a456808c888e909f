"""/api/v1/mediation-organisations/, /api/v1/mediators/, /api/v1/mediation-cases/, /api/v1/recommendations/ (with their actions).
The figures, /api/v1/figures/mediation/, are the reports app's."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    CheckupFiguresView,
    CheckupViewSet,
    FirmViewSet,
    MediationCaseViewSet,
    MediationOrganisationViewSet,
    MediatorViewSet,
    PairingViewSet,
    RecommendationViewSet,
)

router = SimpleRouter()
router.register("mediation-organisations", MediationOrganisationViewSet, basename="mediation-organisation")
router.register("mediators", MediatorViewSet, basename="mediator")
router.register("mediation-cases", MediationCaseViewSet, basename="mediation-case")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("checkups", CheckupViewSet, basename="checkup")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("firms", FirmViewSet, basename="firm")

urlpatterns = [
    path("figures/checkups/", CheckupFiguresView.as_view(), name="checkup-figures"),
    *router.urls,
]
