"""/api/v1/activities/: the list and detail of activities in scope, planning, the declared steps,
registration and withdrawal of the caller, sign-in. Thin: parse, call one service, render."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import scoping
from liaison.api.common import REFUSALS, ScopedViewSet, UserFilterBackend
from liaison.api.workflow import transition_endpoints
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization

from .. import selectors
from ..activity_choices import ActivityKind
from ..activity_workflow import ACTIVITY
from ..filters import ActivityFilter
from ..models import Activity, Registration
from ..services import activities as services


class ActivityReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300, help_text="取消理由（必填）")


class RegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    organization = serializers.CharField(source="user.organization.name", read_only=True, default="")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "organization", "status", "status_display", "registered_at", "signed_in_at"]


class ActivitySerializer(serializers.ModelSerializer):
    mechanism_name = serializers.CharField(source="mechanism.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    confirmed_count = serializers.IntegerField(read_only=True)
    waitlisted_count = serializers.IntegerField(read_only=True)
    signed_in_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "mechanism",
            "mechanism_name",
            "kind",
            "kind_display",
            "title",
            "status",
            "status_display",
            "organizer",
            "organizer_name",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "capacity",
            "registration_deadline",
            "confirmed_count",
            "waitlisted_count",
            "signed_in_count",
        ]


class ActivityDetailSerializer(serializers.ModelSerializer):
    mechanism_name = serializers.CharField(source="mechanism.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    registrations = RegistrationSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "mechanism",
            "mechanism_name",
            "kind",
            "kind_display",
            "title",
            "status",
            "status_display",
            "organizer",
            "organizer_name",
            "co_organizers",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "capacity",
            "for_party_staff",
            "for_chamber_members",
            "for_enterprises",
            "registration_deadline",
            "description",
            "report",
            "enterprises_reached",
            "reason",
            "registrations",
            "allowed_actions",
        ]

    def get_allowed_actions(self, activity: Activity) -> list[str]:
        return services.allowed_actions(self.context["request"].user, activity)


class ActivityWriteSerializer(serializers.Serializer):
    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.all())
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=100000)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_link = serializers.URLField(max_length=300, required=False, allow_blank=True, default="")
    organizer = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    co_organizers = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False, default=list
    )
    for_party_staff = serializers.BooleanField(required=False, default=True)
    for_chamber_members = serializers.BooleanField(required=False, default=False)
    for_enterprises = serializers.BooleanField(required=False, default=False)
    registration_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def validate(self, data: dict) -> dict:
        if data["ends_at"] <= data["starts_at"]:
            raise serializers.ValidationError({"ends_at": "结束时间须晚于开始时间。"})
        if not data.get("place") and not data.get("online_link"):
            raise serializers.ValidationError({"place": "请填写活动地点或线上链接。"})
        return data


class SignInSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=5000, help_text="已签到的报名 ID"
    )


DETAIL = {200: ActivityDetailSerializer, **REFUSALS}


@extend_schema_view(
    list=extend_schema(summary="活动列表（本人所在单位参与的机制）"),
    retrieve=extend_schema(summary="活动详情（含报名名单和可办理的步骤）"),
    create=extend_schema(
        summary="安排活动（草稿）",
        request=ActivityWriteSerializer,
        responses={201: ActivityDetailSerializer, **REFUSALS},
    ),
)
@transition_endpoints(ACTIVITY, detail=ActivityDetailSerializer)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "activity"
    filter_backends = [UserFilterBackend]
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Activity]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Activity.objects.none()
        return selectors.activity_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ActivitySerializer if self.action == "list" else ActivityDetailSerializer

    def get_object(self) -> Activity:
        return selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        activity = selectors.activity_get(user=self.request.user, pk=pk)
        return Response(ActivityDetailSerializer(activity, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        data = dict(self._payload(ActivityWriteSerializer).validated_data)
        mechanism = data.pop("mechanism")
        if not scoping.visible(Mechanism.objects.filter(pk=mechanism.pk), request.user, "").exists():
            raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
        activity = services.activity_create(actor=request.user, mechanism=mechanism, data=services.ActivityData(**data))
        return self._detail(activity.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="本人报名（名额已满进入候补）", request=None, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        services.registration_create(actor=request.user, activity=activity)
        return self._detail(activity.pk)

    @extend_schema(summary="取消本人的报名（候补按顺序递补）", request=None, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        mine = selectors.my_registration(request.user, activity)
        if mine is None:
            raise ActionRefused(_("您没有报名该活动。"), ActionRefused.STATE)
        services.registration_cancel(actor=request.user, registration=mine)
        return self._detail(activity.pk)

    @extend_schema(summary="登记签到（列出已签到的报名；未列出的清除）", request=SignInSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        payload = self._payload(SignInSerializer)
        services.sign_in_record(actor=request.user, activity=activity, present=payload.validated_data["present"])
        return self._detail(activity.pk)
