"""The pages of the reports app. Included at the root, as the dashboard and the ledgers keep the
addresses they had under /cases/ while the shared reports live under /reports/."""

from django.urls import path

from .views import dashboard, ledgers, public, reports, research, suggestions

app_name = "reports"
urlpatterns = [
    path("reports/", reports.report_list, name="list"),
    path("reports/new/", reports.report_create, name="create"),
    path("reports/monthly/", reports.monthly_list, name="monthly_list"),
    path("reports/<int:pk>/monthly.xlsx", reports.monthly_export, name="monthly_export"),
    path("reports/<int:pk>/regenerate/", reports.monthly_regenerate, name="monthly_regenerate"),
    path("reports/<int:pk>/", reports.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="edit"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="pdf"),
    path("reports/<int:pk>/publish/", reports.report_act, {"action": "publish"}, name="publish"),
    path("reports/<int:pk>/withdraw/", reports.report_act, {"action": "withdraw"}, name="withdraw"),
    path("reports/<int:pk>/reopen/", reports.report_act, {"action": "reopen"}, name="reopen"),
    path("reports/<int:pk>/opinions/", reports.opinion_create, name="opinion_create"),
    path("reports/<int:pk>/public/", public.report_public, name="report_public"),
    path("reports/public-column/", public.public_settings, name="public_settings"),
    path("reports/public-column/<int:pk>/toggle/", public.public_page_toggle, name="public_page_toggle"),
    path("public/mechanisms/<int:pk>/", public.public_page, name="public_page"),
    path("public/mechanisms/<int:pk>/feed.atom", public.public_feed, name="public_feed"),
    path("reports/suggestions/", suggestions.suggestion_list_page, name="suggestion_list"),
    path("reports/suggestions/export.xlsx", suggestions.suggestion_export, name="suggestion_export"),
    path("reports/<int:pk>/suggestion/", suggestions.suggestion_detail, name="suggestion_detail"),
    path("reports/<int:pk>/suggestion/act/<slug:action>/", suggestions.suggestion_act, name="suggestion_act"),
    path("cases/dashboard/", dashboard.dashboard, name="dashboard"),
    path("cases/ledgers/overdue/", ledgers.overdue_ledger_page, name="overdue_ledger"),
    path("cases/ledgers/overdue/export.xlsx", ledgers.overdue_ledger_export, name="overdue_ledger_export"),
    path("cases/ledgers/evaluation/", ledgers.evaluation_page, name="evaluation"),
    path("cases/ledgers/evaluation/export.xlsx", ledgers.evaluation_export, name="evaluation_export"),
    path("research/", research.research_list, name="research_list"),
    path("research/new/", research.research_create, name="research_create"),
    path("research/export.xlsx", research.research_export, name="research_export"),
    path("research/programme.pdf", research.research_programme_pdf, name="research_programme_pdf"),
    path("research/<int:pk>/", research.research_detail, name="research_detail"),
    path("research/<int:pk>/act/<slug:action>/", research.research_act, name="research_act"),
    path("research/milestones/<int:pk>/done/", research.milestone_done, name="research_milestone_done"),
    path("activities/<int:pk>/share-report/", research.activity_share, name="activity_share"),
    path("cases/ledgers/departments/", ledgers.department_evaluation_page, name="department_evaluation"),
    path(
        "cases/ledgers/departments/export.xlsx",
        ledgers.department_evaluation_export,
        name="department_evaluation_export",
    ),
]
