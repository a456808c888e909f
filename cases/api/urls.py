"""/api/v1/enterprises/, /api/v1/complaints/ (with their actions), /api/v1/transfers/,
/api/v1/figures/complaints/ and the ledgers /api/v1/ledgers/overdue/ and /api/v1/ledgers/evaluation/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from .ledgers import EvaluationView, OverdueLedgerView
from .views import ComplaintFiguresView, ComplaintViewSet, EnterpriseViewSet, MechanismComparisonView, TransferViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("transfers", TransferViewSet, basename="transfer")

urlpatterns = [
    path("figures/complaints/", ComplaintFiguresView.as_view(), name="complaint-figures"),
    path("figures/mechanisms/", MechanismComparisonView.as_view(), name="mechanism-comparison"),
    path("ledgers/overdue/", OverdueLedgerView.as_view(), name="overdue-ledger"),
    path("ledgers/evaluation/", EvaluationView.as_view(), name="evaluation-table"),
    *router.urls,
]
