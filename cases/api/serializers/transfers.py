"""Transfer letters and the batch that makes one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from liaison.api.serializers import OrganizationSerializer, PersonSerializer

from ... import meeting_choices, selectors
from ...models import Complaint, Transfer
from ._common import EnterpriseBriefSerializer, requesting_user


class TransferComplaintSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    enterprise = EnterpriseBriefSerializer(read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "serial", "title", "status", "status_display", "is_major", "enterprise"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    court = OrganizationSerializer(read_only=True)
    sender = OrganizationSerializer(read_only=True)
    made_by = PersonSerializer(read_only=True)
    complaints = TransferComplaintSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "number",
            "mechanism",
            "year",
            "sequence",
            "court",
            "sender",
            "made_by",
            "made_at",
            "is_immediate",
            "meeting_reference",
            "registration_due",
            "answer_due",
            "complaints",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, transfer: Transfer) -> str:
        return reverse("transfer-pdf", args=[transfer.pk])


class TransferBatchSerializer(serializers.Serializer):
    complaints = serializers.PrimaryKeyRelatedField(
        queryset=Complaint.objects.none(), many=True, allow_empty=False, help_text="待联席会议移送的诉求"
    )
    meeting_reference = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="联席会议，如：2026年第四季度联席会议"
    )
    meeting = serializers.IntegerField(
        required=False, write_only=True, help_text="联席会议的编号（GET /api/meetings/）；给出时移送函写明该会议"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = requesting_user(self)
        if user is not None:
            self.fields["complaints"].child_relation.queryset = selectors.complaint_scope(user).select_related(
                "mechanism", "court"
            )

    def validate(self, data: dict) -> dict:
        """A meeting id names one of the user's meetings; its reference goes on the letters."""
        meeting = data.pop("meeting", None)
        if meeting is not None:
            reference = meeting_choices.reference_of(requesting_user(self), meeting)
            if reference is None:
                raise serializers.ValidationError({"meeting": _("没有该联席会议，或不在您的机制中。")})
            data["meeting_reference"] = reference
        return data
