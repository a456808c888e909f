"""Request-wide middleware: the audit context, and login required for every page but a few."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from . import context

# Anonymous visitors reach only these: the login page, static files, the health check,
# the language switch (used on the login page), the API (which answers 401/403 itself) and the
# metrics endpoint (which checks its own token or address).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/health/", "/i18n/", "/api/", "/metrics")


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
