"""Core API views: parse, call a selector or service, render."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import notifications, scoping, selectors
from ..acting import acting_user
from ..models import Notification, Organization
from .serializers import (
    MarkReadSerializer,
    MechanismSerializer,
    MeSerializer,
    NotificationSerializer,
    OrganizationSerializer,
)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, context={"unread": notifications.unread_count(acting_user(request))})
        return Response(serializer.data)


class OrganizationFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["kind", "level", "parent", "name"]


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    search_fields = ["name", "short_name", "region"]
    ordering_fields = ["name", "level"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Organization.objects.none()
        return scoping.visible_organizations(self.request.user).order_by("name")


class MechanismViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MechanismSerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "short_name", "document_number"]
    ordering_fields = ["name", "founded_on"]

    def get_queryset(self):
        return selectors.mechanism_list(user=self.request.user)


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="未读")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses=inline_serializer("MarkReadResult", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        payload = MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marked = notifications.mark_read(acting_user(request), payload.validated_data.get("ids"))
        return Response({"marked": marked})
