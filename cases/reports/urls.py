from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("monthly/", views.monthly_list, name="monthly_list"),
    path("<int:pk>/monthly.xlsx", views.monthly_export, name="monthly_export"),
    path("<int:pk>/regenerate/", views.monthly_regenerate, name="monthly_regenerate"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<int:pk>/opinions/", views.opinion_create, name="opinion_create"),
]
