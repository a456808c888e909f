"""Pieces every app's API uses: the refusal schema and a filter backend that knows the user."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, viewsets
from rest_framework.request import Request


class RefusalSerializer(serializers.Serializer):
    """What the exception handler answers when a service refuses."""

    detail = serializers.CharField(help_text="中文说明")
    code = serializers.ChoiceField(choices=["permission", "state", "invalid"])
    field = serializers.CharField(required=False, help_text="出错的字段（如有）")


class BlankAsNullURLField(serializers.URLField):
    """An optional link: stored as "" in the database, shown as null in the API (a blank is no URL)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: str | None) -> str | None:  # type: ignore[override] # null is the point of the field
        return value or None


class FreshFieldsMixin:
    """For a plain `Serializer` on a hot path: its declared fields are made anew for each instance
    without DRF's deep copy (a third of validating a filing went there). A field declared with no
    field among its arguments is copied shallowly: its own attributes are set anew when it is bound
    to the new serializer, and what it shares with the declared field (its arguments, choices,
    validators, messages) no field changes after it is made. A field given another field (a list's
    `child`, bound to its parent when made) is made anew from its declared arguments, and those
    fields deep-copied, as DRF's own copy makes them."""

    _declared_fields: dict[str, serializers.Field]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = {}
        for name, field in self._declared_fields.items():
            declared: dict[str, Any] = field._kwargs  # type: ignore[attr-defined] # kept by Field.__new__
            positional: tuple = field._args  # type: ignore[attr-defined]
            if not any(isinstance(value, serializers.Field) for value in (*positional, *declared.values())):
                fields[name] = copy.copy(field)
                continue
            arguments: dict[str, Any] = {
                key: copy.deepcopy(value) if isinstance(value, serializers.Field) else value
                for key, value in declared.items()
            }
            fields[name] = field.__class__(*positional, **arguments)
        return fields


def refusal(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=RefusalSerializer, description=description)


REFUSALS = {
    400: OpenApiResponse(description="输入有误：字段错误（{字段: [说明]}）或业务校验未通过（detail）"),
    403: refusal("单位或角色无权办理"),
    404: OpenApiResponse(description="不存在或不在可见范围"),
    409: refusal("当前状态不允许该操作（或已被他人办理）"),
}
PDF_RESPONSES = {(200, "application/pdf"): OpenApiTypes.BINARY, 404: REFUSALS[404]}


class UserFilterBackend(DjangoFilterBackend):
    """Hands the user to FilterSets that limit their choices (and work queues) to what the user sees."""

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet, view: viewsets.GenericViewSet) -> dict:
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose POST actions each call one service on the object the user may see.

    Subclasses get the object through their scoped selector in `get_object()`, name the keyword
    their services take it by in `subject` (e.g. "complaint"), and render it in `_detail()`.
    """

    subject = ""

    def _payload(self, serializer_class: type[serializers.Serializer], **context: object) -> serializers.Serializer:
        """Validate the request body; extra context (e.g. the object acted on) goes to the serializer."""
        payload = serializer_class(data=self.request.data, context={**self.get_serializer_context(), **context})
        payload.is_valid(raise_exception=True)
        return payload

    def _detail(self, pk: int, code: int = 200):  # noqa: ANN201 - each viewset renders its own detail
        raise NotImplementedError

    def _act(self, service, serializer_class: type[serializers.Serializer] | None = None):  # noqa: ANN001, ANN201
        """Load the object in scope (404 first), validate the body, call the service, show the result."""
        target = self.get_object()
        arguments = (
            dict(self._payload(serializer_class, **{self.subject: target}).validated_data) if serializer_class else {}
        )
        service(actor=self.request.user, **{self.subject: target}, **arguments)
        return self._detail(target.pk)
