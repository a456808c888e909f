"""/api/v1/enterprises/, /api/v1/complaints/ (with their actions), /api/v1/transfers/ and
/api/v1/figures/complaints/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ComplaintFiguresView, ComplaintViewSet, EnterpriseViewSet, TransferViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("transfers", TransferViewSet, basename="transfer")

urlpatterns = [
    path("figures/complaints/", ComplaintFiguresView.as_view(), name="complaint-figures"),
    *router.urls,
]
