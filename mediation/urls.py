from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/export.xlsx", views.roster_export, name="roster_export"),
    path("roster/roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("mediators/new/", views.mediator_create, name="mediator_create"),
    path("mediators/<int:pk>/", views.mediator_detail, name="mediator_detail"),
    path("mediators/<int:pk>/edit/", views.mediator_edit, name="mediator_edit"),
    path("mediators/<int:pk>/act/<slug:action>/", views.mediator_act, name="mediator_act"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/admit/", views.organisation_admit, name="organisation_admit"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.xlsx", views.case_export, name="case_export"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", views.case_act, name="case_act"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/export.xlsx", views.recommendation_export, name="recommendation_export"),
    path("recommendations/register.pdf", views.recommendation_pdf, name="recommendation_pdf"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/act/<slug:action>/", views.recommendation_act, name="recommendation_act"),
    path("checkups/", views.checkup_list, name="checkup_list"),
    path("checkups/export.xlsx", views.checkup_export, name="checkup_export"),
    path("checkups/new/", views.checkup_create, name="checkup_create"),
    path("checkups/<int:pk>/", views.checkup_detail, name="checkup_detail"),
    path("checkups/<int:pk>/act/<slug:action>/", views.checkup_act, name="checkup_act"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/act/<slug:action>/", views.pairing_act, name="pairing_act"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/export.xlsx", views.figures_export, name="figures_export"),
]
