from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import observability, views, views_channels
from .forms_auth import LiaisonAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    # The API first: its URLs are matched before the pages', complaints first (the busiest), so
    # that a call walks a few patterns rather than every page's (about a tenth of a filing's time).
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("liaison.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("meetings.api.urls")),
    path("api/v1/", include("mediation.api.urls")),
    path("health/", views.health, name="health"),
    path("health/ready/", views.ready, name="ready"),
    path("metrics", observability.metrics, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LiaisonAuthenticationForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The language switch is offered on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("mechanisms/", views.mechanism_list, name="mechanism_list"),
    path("mechanisms/<int:pk>/", views.mechanism_detail, name="mechanism_detail"),
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("search/", views.search, name="search"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_mark_read, name="notification_mark_read"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("audit/", views.audit_log, name="audit_log"),
    path("systems/", views_channels.system_list, name="system_list"),
    path("systems/<int:pk>/", views_channels.system_deliveries, name="system_deliveries"),
    path("systems/<int:pk>/key/", views_channels.system_key_rotate, name="system_key_rotate"),
    path("deliveries/<int:pk>/redeliver/", views_channels.delivery_redeliver, name="delivery_redeliver"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("portal/activities/", include("meetings.portal_urls")),
    path("portal/", include("cases.portal_urls")),
    path("", include("reports.urls")),  # /reports/…, and /cases/dashboard/ and /cases/ledgers/…
    path("meetings/", include("meetings.urls")),
    path("mediation/", include("mediation.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
]
