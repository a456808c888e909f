"""The API's side of the workflow core: one POST endpoint per declared step, generated.

`transition_endpoints(workflow, detail=...)` decorates a `ScopedViewSet`: for every step with an
API, it adds `POST <object>/<pk>/<step-path>/` that loads the object in scope (404 first),
validates the body with the step's serializer, calls the step's service and answers the object
as it is afterwards, with the schema documented from the same declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..workflow import Transition, Workflow
from .common import REFUSALS


def _endpoint(rule: Transition) -> Callable[..., Response]:
    def endpoint(self: Any, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data: dict = {}
        if rule.serializer:
            data = dict(self._payload(rule.resolve("serializer"), **{self.subject: target}).validated_data)
        result = rule.resolve("service")(actor=request.user, **{self.subject: target}, **rule.arguments(data))
        if rule.creates:
            return self._detail(result.pk, 201)
        return self._detail(target.pk)

    endpoint.__name__ = rule.name
    endpoint.__doc__ = str(rule.summary or rule.label)
    return endpoint


def transition_endpoints(workflow: Workflow, *, detail: Any) -> Callable[[type], type]:
    """Add the generated step endpoints to a viewset class."""

    def decorate(viewset: type) -> type:
        for rule in workflow:
            if not (rule.api and rule.per_object and rule.service):
                continue
            request = rule.resolve("serializer") if rule.serializer else None
            answer = {201: detail} if rule.creates else {200: detail}
            # `action` replaces the function's kwargs: the schema goes on after it (`@extend_schema` above `@action`).
            endpoint = action(detail=True, methods=["post"], url_path=rule.path)(_endpoint(rule))
            endpoint = extend_schema(
                summary=str(rule.summary or rule.label), request=request, responses={**answer, **REFUSALS}
            )(endpoint)
            setattr(viewset, rule.name, endpoint)
        return viewset

    return decorate
