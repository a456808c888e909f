"""Request-wide middleware: the audit context of each request, rolled-back uploads, browser features.

Login is required by Django's own LoginRequiredMiddleware; the public views (login, health check,
language switch, calendar feeds by token) are marked `login_not_required`, and the API (DRF
views are exempt) answers 401/403 itself."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import attachments, context
from .lockout import client_ip


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.bind(context.RequestContext(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


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
