"""/api/v1/meetings/, /api/v1/minutes/, /api/v1/action-items/, /api/v1/tasks/, /api/v1/dual-lists/,
the personal calendar feed /api/v1/calendar/<token>.ics (found by its secret token, no login).
The figures, /api/v1/figures/meetings/, are the reports app's."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ..views import calendar_feed
from .activities import ActivityViewSet
from .views import (
    ActionItemViewSet,
    DualListViewSet,
    MeetingViewSet,
    MinutesViewSet,
    TaskViewSet,
)

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("tasks", TaskViewSet, basename="task")
router.register("dual-lists", DualListViewSet, basename="dual-list")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="meetings_calendar_feed"),
    *router.urls,
]
