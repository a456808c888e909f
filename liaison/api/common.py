"""Pieces every app's API uses: the refusal schema and a filter backend that knows the user."""
from __future__ import annotations

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
