"""Enterprises: the list and detail, and what registering or updating one accepts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from liaison import scoping
from liaison.api.serializers import OrganizationSerializer
from liaison.models import Mechanism, Organization

from ... import selectors, services
from ...choices import EnterpriseSize, Industry
from ...models import Enterprise
from ...validators import mask_phone, normalize_credit_code, validate_credit_code, validate_phone
from ._common import drf_error, requesting_user


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise as shown; the contact phone is masked for anyone but the registering organization."""

    size_display = serializers.CharField(source="get_size_display", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    registered_by = OrganizationSerializer(read_only=True)
    contact_phone = serializers.SerializerMethodField()
    contact_phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "mechanism",
            "registered_by",
            "name",
            "credit_code",
            "size",
            "size_display",
            "industry",
            "industry_display",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "contact_phone_masked",
            "chambers",
            "created_at",
        ]
        read_only_fields = fields

    def _may_see_contact(self, enterprise: Enterprise) -> bool:
        user = requesting_user(self)
        return user is not None and selectors.can_see_contact(user, enterprise)

    def get_contact_phone(self, enterprise: Enterprise) -> str:
        phone = enterprise.contact_phone
        return phone if self._may_see_contact(enterprise) else mask_phone(phone)

    def get_contact_phone_masked(self, enterprise: Enterprise) -> bool:
        return bool(enterprise.contact_phone) and not self._may_see_contact(enterprise)


class EnterpriseWriteSerializer(serializers.Serializer):
    """Input of register (all fields) and correct (PUT: all fields; PATCH: only those sent)."""

    mechanism = serializers.PrimaryKeyRelatedField(
        queryset=Mechanism.objects.none(), help_text="所属机制（仅登记时；须为本单位参与的机制）"
    )
    name = serializers.CharField(max_length=120)
    credit_code = serializers.CharField(max_length=40, help_text="统一社会信用代码，18位")
    size = serializers.ChoiceField(choices=EnterpriseSize.choices)
    industry = serializers.ChoiceField(choices=Industry.choices)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    legal_representative = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_person = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    chambers = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), many=True, required=False, default=list, help_text="所属商会"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = requesting_user(self)
        if user is not None:
            self.fields["mechanism"].queryset = scoping.actionable_mechanisms(user)
            self.fields["chambers"].child_relation.queryset = scoping.visible_organizations(user).filter(kind="chamber")
        if self.instance is not None:
            self.fields.pop("mechanism")  # an enterprise stays in its mechanism

    def validate_credit_code(self, value: str) -> str:
        code = normalize_credit_code(value)
        try:
            validate_credit_code(code)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        return code

    def validate_contact_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            validate_phone(value)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        return value

    def as_data(self) -> services.EnterpriseData:
        """The validated input over the current record (a PATCH sends only what changes)."""
        values = dict(self.validated_data)
        values.pop("mechanism", None)
        if self.instance is not None:
            current = {field: getattr(self.instance, field) for field in services.ENTERPRISE_FIELDS}
            current["chambers"] = list(self.instance.chambers.all())
            values = {**current, **values}
        return services.EnterpriseData(**values)
