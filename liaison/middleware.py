"""Request-wide middleware: the audit context of each request.

Login is required by Django's own LoginRequiredMiddleware; the public views (login, health check,
language switch, calendar feeds by token) are marked `login_not_required`, and the API (DRF
views are exempt) answers 401/403 itself."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import context

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
