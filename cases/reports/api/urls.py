from rest_framework.routers import SimpleRouter

from .views import MonthlyReportViewSet, ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")

urlpatterns = router.urls
