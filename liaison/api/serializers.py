"""Serializers of the core API: they shape output only."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import notifications
from ..models import Department, Mechanism, MechanismParty, Notification, Organization, User


class ChoiceLabelField(serializers.CharField):
    """The label of a choice column (`source` names the column), from a dict built once.

    `source="get_<field>_display"` costs more per row than the rest of a list row together:
    Django rebuilds the dict of choices on every call and DRF inspects the method's signature.
    """

    def __init__(self, choices, **kwargs) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.labels = dict(choices)

    def to_representation(self, value: object) -> str:
        return str(self.labels.get(value, value))


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(Organization._meta.get_field("kind").choices, source="kind")
    level_display = ChoiceLabelField(Organization._meta.get_field("level").choices, source="level")

    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "kind", "kind_display", "level", "level_display", "parent", "region"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "organization"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name", "title"]


class MechanismPartySerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer()
    responsible_department = DepartmentSerializer(allow_null=True)
    liaison_lead = PersonSerializer(allow_null=True)
    liaison_officer = PersonSerializer(allow_null=True)

    class Meta:
        model = MechanismParty
        fields = [
            "organization",
            "responsible_department",
            "liaison_lead",
            "liaison_officer",
            "is_convenor",
            "place",
            "joined_on",
            "left_on",
        ]


class MechanismSerializer(serializers.ModelSerializer):
    parties = MechanismPartySerializer(many=True)

    class Meta:
        model = Mechanism
        fields = [
            "id",
            "name",
            "short_name",
            "document_number",
            "founded_on",
            "is_active",
            "parties",
            "meetings_per_quarter",
            "plenaries_per_year",
            "review_working_days",
            "registration_working_days",
            "feedback_working_days",
            "extensions_allowed",
            "extension_working_days",
            "delegated_mediation_days",
            "entrusted_mediation_days",
        ]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    organization = OrganizationSerializer(allow_null=True)
    department = DepartmentSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    unread_notifications = serializers.SerializerMethodField(
        help_text=format_lazy(
            _("未读通知数，至多计到 {shown}；更多时为 {shown}，且 unread_notifications_capped 为 true。"),
            shown=notifications.UNREAD_SHOWN,
        )
    )
    unread_notifications_capped = serializers.SerializerMethodField(
        help_text=format_lazy(_("未读通知是否多于 {shown} 条。"), shown=notifications.UNREAD_SHOWN)
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "title",
            "email",
            "organization",
            "department",
            "roles",
            "unread_notifications",
            "unread_notifications_capped",
        ]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_codes)

    def get_unread_notifications(self, user: User) -> int:
        return min(self.context["unread"], notifications.UNREAD_SHOWN)

    def get_unread_notifications_capped(self, user: User) -> bool:
        return notifications.unread_capped(self.context["unread"])


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="要标记为已读的通知；省略则全部标记为已读",
    )
