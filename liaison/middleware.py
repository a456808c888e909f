"""Request-wide middleware: the audit context, and login required for every page but a few."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from . import attachments, context
from .lockout import client_ip

# Anonymous visitors reach only these: the login page, static files, the health check,
# the language switch (used on the login page) and the API (which answers 401/403 itself).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/health/", "/i18n/", "/api/")


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


class RolledBackUploadsMiddleware:
    """Files stored during a request whose transaction rolled back are removed from disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with attachments.rolled_back_files_removed():
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Browser features the portal never uses (camera, microphone, location …) are switched off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
