"""The signed-in user of a request, typed as the portal's `User`.

Every page and endpoint but the few marked `login_not_required` sits behind
`LoginRequiredMiddleware` (and DRF's `IsAuthenticated`), so `request.user` is never anonymous
there; this says so to the type checker without a runtime check that could change behaviour.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from .models import Organization, User


def acting_user(request: HttpRequest | Request) -> User:
    """`request.user` of a signed-in request."""
    return cast(User, request.user)


def organization_of(user: User) -> Organization:
    """The organization of a user who passed a service's party or role check.

    Only the technical administrators have none, and they are never a party to a step.
    """
    return cast(Organization, user.organization)


def organization_id_of(user: User) -> int:
    """`organization_of(user).pk` without loading the organization."""
    return cast(int, user.organization_id)
