"""What the cases serializers share: the requesting user, case numbers, brief enterprises, deadlines, attachments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.models import Attachment, User

from ...models import Enterprise
from ...validators import CaseNumber, parse_case_numbers


def requesting_user(serializer: serializers.Field) -> User | None:
    """The requesting user, or None while the schema is generated (no real request then)."""
    request = serializer.context.get("request")
    if request is None or getattr(serializer.context.get("view"), "swagger_fake_view", False):
        return None
    return request.user


def drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A model or validator error as the API's 400, with the same Chinese messages."""
    return serializers.ValidationError(error.messages)


@extend_schema_field(
    {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
        "description": "案号：字符串列表，或一段以换行、逗号、顿号、分号分隔的文字，如 （2021）豫03民初123号",
    }
)
class CaseNumbersField(serializers.Field):
    """Case numbers as a list of strings or one text; becomes a list of parsed CaseNumber."""

    default_error_messages = {"invalid": gettext_lazy("案号应为字符串或字符串列表。")}

    def to_internal_value(self, data: Any) -> list[CaseNumber]:
        if isinstance(data, str):
            text = data
        elif isinstance(data, list) and all(isinstance(entry, str) for entry in data):
            text = "\n".join(data)
        else:
            self.fail("invalid")
        try:
            return parse_case_numbers(text)
        except DjangoValidationError as error:
            raise drf_error(error) from None

    def to_representation(self, value: Sequence[CaseNumber]) -> list[str]:
        return [number.canonical for number in value]


class EnterpriseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code"]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    """The complaint's current running (or paused) deadline."""

    kind = serializers.CharField(help_text="complaint.review / complaint.registration / complaint.feedback")
    due_date = serializers.DateField()
    text = serializers.CharField(help_text="如：剩余 3 个工作日、今日到期、已逾期 2 个工作日、暂停计时")
    working_days = serializers.IntegerField(help_text="正数为剩余工作日，0 为今日到期或暂停，负数为逾期工作日")


class ComplaintAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.display_name", default="", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "kind",
            "size",
            "sha256",
            "purpose",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("attachment_download", args=[attachment.pk])
