"""The activities open to enterprises, on the enterprise portal (/portal/activities/)."""

from django.urls import path

from .views import portal_activities as views

app_name = "portal_activities"
urlpatterns = [
    path("", views.activity_list, name="enterprise_activity_list"),
    path("<int:pk>/", views.activity_detail, name="enterprise_activity_detail"),
    path("<int:pk>/register/", views.activity_register, name="enterprise_activity_register"),
    path("<int:pk>/withdraw/", views.activity_withdraw, name="enterprise_activity_withdraw"),
    path("<int:pk>/activity.ics", views.activity_ics, name="enterprise_activity_ics"),
]
