"""What each action on a complaint accepts (reasons, registration, assignment, answers, messages, files)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from liaison import attachments, scoping
from liaison.api.serializers import OrganizationSerializer, PersonSerializer
from liaison.limits import LONG_TEXT, MESSAGE_TEXT
from liaison.models import Department, Organization, User

from ...choices import ReviewOutcome
from ...models import ComplaintMessage
from ._common import CaseNumbersField, drf_error, requesting_user


class ComplaintReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="理由（必填）")


class ComplaintNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="补充材料的说明"
    )


class ComplaintRegisterSerializer(serializers.Serializer):
    registration_number = serializers.CharField(max_length=40, allow_blank=True, help_text="登记号（必填）")
    court_case_numbers = CaseNumbersField(required=False, default=list)
    under_supervision = serializers.BooleanField(required=False, default=False, help_text="纳入四类案件监管")


class _CourtScopedField(serializers.PrimaryKeyRelatedField):
    """An id of a department or person of the complaint's court (the complaint comes in the context)."""

    def get_queryset(self) -> QuerySet:
        complaint = self.context.get("complaint")
        queryset = super().get_queryset()
        return queryset.filter(organization_id=complaint.court_id) if complaint else queryset.none()


class _DepartmentField(_CourtScopedField):
    default_error_messages = {
        "does_not_exist": gettext_lazy("承办部门须是本院的部门。"),
        "incorrect_type": gettext_lazy("承办部门须是本院的部门。"),
    }


class _HandlerField(_CourtScopedField):
    default_error_messages = {
        "does_not_exist": gettext_lazy("承办人须是本院的承办人。"),
        "incorrect_type": gettext_lazy("承办人须是本院的承办人。"),
    }


class ComplaintAssignSerializer(serializers.Serializer):
    department = _DepartmentField(queryset=Department.objects.all(), help_text="本院承办部门")
    handler = _HandlerField(queryset=User.objects.filter(is_active=True), help_text="本院承办人")


class ComplaintAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, max_length=LONG_TEXT, help_text="办理结果（必填）")
    enterprise_answer = serializers.CharField(
        required=False, allow_blank=True, max_length=LONG_TEXT, help_text="答复企业的内容（企业在线提交的诉求必填）"
    )


class ComplaintRerouteSerializer(serializers.Serializer):
    court = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="改送的法院")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = requesting_user(self)
        if user is not None:
            self.fields["court"].queryset = scoping.handling_organizations(scoping.visible_mechanisms(user))


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准，false 不批准")


class CaseReviewWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    explanation = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT, help_text="释法析理说明（评查无错误的必填）"
    )


class ComplaintMessageSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    organization = OrganizationSerializer(read_only=True)
    visibility_display = serializers.CharField(source="get_visibility_display", read_only=True)

    class Meta:
        model = ComplaintMessage
        fields = ["id", "author", "organization", "visibility", "visibility_display", "body", "created_at"]
        read_only_fields = fields


class ComplaintMessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=MESSAGE_TEXT, help_text="留言内容（必填）")
    internal = serializers.BooleanField(
        required=False, default=False, help_text="true：仅本单位可见的内部备注；移送法院之前只能写内部备注"
    )


class ComplaintFilesSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="附件（multipart/form-data，可多个）；仅接受 PDF、图片、Word、Excel",
    )

    def validate_files(self, files: list) -> list:
        try:
            return attachments.validate_files(files)
        except DjangoValidationError as error:
            raise drf_error(error) from None
