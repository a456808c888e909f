"""Map the services' refusals to HTTP: permission → 403, state → 409, invalid input → 400."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..errors import ActionRefused

STATUS = {
    ActionRefused.PERMISSION: status.HTTP_403_FORBIDDEN,
    ActionRefused.STATE: status.HTTP_409_CONFLICT,
    ActionRefused.INVALID: status.HTTP_400_BAD_REQUEST,
}


def handle_exception(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ActionRefused):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST))
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages, "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
