"""The signed-in user of a request, typed as the portal's `User`.

Every page and endpoint but the few marked `login_not_required` sits behind
`LoginRequiredMiddleware` (and DRF's `IsAuthenticated`), so `request.user` is never anonymous
there; this says so to the type checker without a runtime check that could change behaviour.
"""
from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


def acting_user(request: HttpRequest | Request) -> User:
    """`request.user` of a signed-in request."""
    return cast(User, request.user)
