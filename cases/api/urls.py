"""/api/v1/enterprises/, /api/v1/complaints/ (with their actions) and /api/v1/transfers/.
The figures and the ledgers under /api/v1/ are the reports app's."""

from rest_framework.routers import SimpleRouter

from .intake import IntakeComplaintViewSet
from .portal import PortalMatterViewSet, PortalRegistrationViewSet
from .views import ComplaintViewSet, EnterpriseViewSet, TransferViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("transfers", TransferViewSet, basename="transfer")
# For docked systems, with their own keys (Authorization: Bearer lk_…).
router.register("intake/complaints", IntakeComplaintViewSet, basename="intake-complaint")
router.register("portal/matters", PortalMatterViewSet, basename="portal-matter")
router.register("portal/registrations", PortalRegistrationViewSet, basename="portal-registration")

urlpatterns = router.urls
