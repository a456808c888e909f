from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import MechanismViewSet, MeView, NotificationViewSet, OrganizationViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("mechanisms", MechanismViewSet, basename="mechanism")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [path("me/", MeView.as_view(), name="api_me"), *router.urls]
