from django.urls import path

from . import views
from .views.portal_identity import (
    complaint_enterprise_message,
    complaint_followup,
    enterprise_invite,
    satisfaction_act,
)

app_name = "cases"
urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/export.xlsx", views.complaint_export, name="complaint_export"),
    path("complaints/count.json", views.complaint_count, name="complaint_count"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/edit/", views.complaint_edit, name="complaint_edit"),
    path("complaints/<int:pk>/act/<slug:action>/", views.complaint_act, name="complaint_act"),
    path("complaints/<int:pk>/messages/", views.complaint_message, name="complaint_message"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/lookup.json", views.enterprise_lookup, name="enterprise_lookup"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/public/", views.enterprise_public, name="enterprise_public"),
    path("enterprises/<int:pk>/invite/", enterprise_invite, name="enterprise_invite"),
    path("complaints/<int:pk>/enterprise-messages/", complaint_enterprise_message, name="complaint_enterprise_message"),
    path("complaints/<int:pk>/followup/", complaint_followup, name="complaint_followup"),
    path("satisfactions/<int:pk>/act/<slug:action>/", satisfaction_act, name="satisfaction_act"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/new/", views.transfer_batch, name="transfer_batch"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/pdf/", views.transfer_pdf, name="transfer_pdf"),
]
