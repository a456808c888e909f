"""Request-wide middleware: the audit context, and login required for every page but a few."""
from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from . import context

# Anonymous visitors reach only these: the login page, static files, the health check,
# the language switch (used on the login page) and the API (which answers 401/403 itself).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/health/", "/i18n/", "/api/")


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "BEHIND_PROXY", False):
        # The last entry is the one our own proxy added; earlier ones the client can forge.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.bind(context.RequestContext(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# The session key holding when the session was last written (seconds since the epoch).
SESSION_REFRESHED_KEY = "_refreshed_at"


class SessionRefreshMiddleware:
    """Keep the idle timeout without writing the session on every request.

    `SESSION_SAVE_EVERY_REQUEST` would write the session row on every GET. Instead the session is
    written (and so its expiry moved to now + `SESSION_COOKIE_AGE`) only when it was last written
    more than `SESSION_REFRESH_AFTER_SECONDS` ago: an idle session expires between the timeout less
    that interval and the full timeout after its last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.get("_auth_user_id"):
            return response
        now = int(time.time())
        refreshed = session.get(SESSION_REFRESHED_KEY)
        if not isinstance(refreshed, int) or now - refreshed >= settings.SESSION_REFRESH_AFTER_SECONDS:
            session[SESSION_REFRESHED_KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
