"""/api/v1/reports/ and /api/v1/monthly-reports/ (shared and monthly reports), the figures
/api/v1/figures/{complaints,meetings,mediation,mechanisms}/ and the ledgers /api/v1/ledgers/overdue/
and /api/v1/ledgers/evaluation/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .figures import (
    ActivityFiguresView,
    ComplaintFiguresView,
    MechanismComparisonView,
    MediationFiguresView,
    MeetingFiguresView,
)
from .ledgers import EvaluationView, OverdueLedgerView
from .research import ResearchTopicViewSet
from .views import MonthlyReportViewSet, ReportViewSet, SuggestionViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")
router.register("research-topics", ResearchTopicViewSet, basename="research-topic")
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("figures/complaints/", ComplaintFiguresView.as_view(), name="complaint-figures"),
    path("figures/meetings/", MeetingFiguresView.as_view(), name="meeting-figures"),
    path("figures/mediation/", MediationFiguresView.as_view(), name="mediation-figures"),
    path("figures/activities/", ActivityFiguresView.as_view(), name="activity-figures"),
    path("figures/mechanisms/", MechanismComparisonView.as_view(), name="mechanism-comparison"),
    path("ledgers/overdue/", OverdueLedgerView.as_view(), name="overdue-ledger"),
    path("ledgers/evaluation/", EvaluationView.as_view(), name="evaluation-table"),
    *router.urls,
]
