"""Complaints: the list and detail, and what filing or editing one accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, cast

from django.db import models, router
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison import compiled
from liaison.api.common import FreshFieldsMixin
from liaison.api.serializers import ChoiceLabelField, DepartmentSerializer, OrganizationSerializer, PersonSerializer
from liaison.choices import HANDLING_SIDES, DeadlineState
from liaison.deadlines import due_status_of
from liaison.limits import LONG_TEXT
from liaison.models import Organization
from liaison.workdays import WorkingCalendar

from ... import selectors, services
from ...choices import ComplaintKind, ComplaintStatus
from ...models import CaseReview, Complaint, Enterprise
from ...validators import parse_case_numbers
from ._common import CaseNumbersField, DeadlineSerializer, EnterpriseBriefSerializer, requesting_user


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint in lists: everything read from the annotated list query, nothing per row."""

    status_display = ChoiceLabelField(ComplaintStatus.choices, source="status")
    kind_display = ChoiceLabelField(ComplaintKind.choices, source="kind")
    enterprise = EnterpriseBriefSerializer(read_only=True)
    court = OrganizationSerializer(read_only=True)
    filing_organization = OrganizationSerializer(read_only=True)
    case_numbers = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    transfer_number = serializers.CharField(
        source="transfer.number", default=None, read_only=True, allow_null=True, help_text="移送函文号；移送前为 null"
    )
    handler = PersonSerializer(read_only=True, allow_null=True)
    department = DepartmentSerializer(read_only=True, allow_null=True)
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "serial",
            "mechanism",
            "status",
            "status_display",
            "enterprise",
            "court",
            "filing_organization",
            "kind",
            "kind_display",
            "title",
            "facts",
            "demands",
            "case_numbers",
            "amount_involved",
            "is_major",
            "major_reason",
            "transfer",
            "transfer_number",
            "registration_number",
            "court_case_numbers",
            "under_supervision",
            "handler",
            "department",
            "extension_state",
            "deadline",
            "created_at",
            "submitted_at",
            "transferred_at",
            "registered_at",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = fields

    def _calendar(self) -> WorkingCalendar:
        # One calendar (one query) for the whole list, built only when a row has a deadline.
        context = self.context
        if "calendar" not in context:
            context["calendar"] = WorkingCalendar()
        return context["calendar"]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, complaint: Complaint) -> dict | None:
        due = getattr(complaint, "current_due", None)
        if due is None:
            return None
        return deadline_of(due, complaint.current_due_kind, complaint.current_due_paused, self._calendar())


def deadline_of(due: dt.date, kind: str, paused: bool, calendar: WorkingCalendar) -> dict:
    """The `deadline` of a complaint in the API, from the columns kept on it."""
    status = due_status_of(due, calendar, state=DeadlineState.PAUSED if paused else DeadlineState.RUNNING)
    return {"kind": kind, "due_date": due, "text": str(status.text), "working_days": status.working_days}


class CaseReviewSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    reviewed_by = PersonSerializer(read_only=True)

    class Meta:
        model = CaseReview
        fields = ["outcome", "outcome_display", "explanation", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    """One complaint, with what its page shows: the reason, the answer, the actions open to the user."""

    extension_state_display = serializers.CharField(source="get_extension_state_display", read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以办理的操作（与操作接口对应：start_review → start-review/；"
        "transfer_batch → /transfers/batch/）"
    )
    case_review = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "reason",
            "answer",
            "reopen_count",
            "extension_state_display",
            "extension_reason",
            "case_review",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, complaint: Complaint) -> list[str]:
        user = requesting_user(self)
        return services.allowed_actions(user, complaint) if user is not None else []

    @extend_schema_field(CaseReviewSerializer(allow_null=True))
    def get_case_review(self, complaint: Complaint) -> dict | None:
        review = selectors.complaint_review(complaint)
        return CaseReviewSerializer(review).data if review is not None else None


def _pk_of(field: serializers.PrimaryKeyRelatedField, model: type[Model], data: object) -> Any:
    """`data` as the model's primary key, or the refusal `PrimaryKeyRelatedField` gives for no number."""
    try:
        if isinstance(data, bool):
            raise TypeError
        return cast(models.Field, model._meta.pk).get_prep_value(data)
    except (TypeError, ValueError):
        field.fail("incorrect_type", data_type=type(data).__name__)


def _by_pk(
    field: serializers.PrimaryKeyRelatedField,
    model: type[Model],
    key: Hashable,
    build: Callable[[], QuerySet],
    data: object,
) -> Any:
    """What `PrimaryKeyRelatedField.to_internal_value` gives for `data` (same refusals), fetched
    with SQL compiled once per key (`compiled.get_by_pk`; out of the column's range: none)."""
    found = compiled.get_by_pk(key, build, _pk_of(field, model, data), router.db_for_read(model))
    if found is None:
        field.fail("does_not_exist", pk_value=data)
    return found


class EnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise in the user's scope, with its mechanism; looked up with SQL compiled once per
    set of visible mechanisms."""

    def get_queryset(self) -> QuerySet[Enterprise]:
        user = requesting_user(self.parent)
        if user is None:
            return Enterprise.objects.none()
        return selectors.enterprise_scope(user).select_related("mechanism")

    def to_internal_value(self, data: object) -> Enterprise:
        user = requesting_user(self.parent)
        if user is None:
            self.fail("does_not_exist", pk_value=data)
        key = ("with mechanism", selectors.enterprise_scope_key(user))
        return _by_pk(self, Enterprise, key, lambda: self.get_queryset().order_by(), data)


class CourtField(serializers.PrimaryKeyRelatedField):
    """A handling organization where its place lets it route matters, in a mechanism the user sees
    (as `scoping.handling_organizations`), chosen among the routing parties the serializer reads
    once with their organizations (no query of its own); the service checks the court against
    the same rows."""

    def _courts(self) -> dict[int, Organization]:
        parent = self.parent
        if requesting_user(parent) is None:
            return {}
        routing = parent.routing
        return {org: routing.organizations[org] for _mechanism, org, side in routing.parties if side in HANDLING_SIDES}

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.filter(pk__in=sorted(self._courts()))

    def to_internal_value(self, data: object) -> Organization:
        # The refusals of `PrimaryKeyRelatedField`: no number, or no such court (out of range too).
        court = self._courts().get(_pk_of(self, Organization, data))
        if court is None:
            self.fail("does_not_exist", pk_value=data)
        return court


class ComplaintWriteSerializer(FreshFieldsMixin, serializers.Serializer):
    """Input of filing a draft (all fields) and editing it (PATCH: only the fields sent)."""

    enterprise = EnterpriseField(queryset=Enterprise.objects.none(), help_text="企业；诉求归入企业所属的机制")
    court = CourtField(queryset=Organization.objects.none(), help_text="拟送法院")
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField(max_length=LONG_TEXT)
    demands = serializers.CharField(max_length=LONG_TEXT)
    case_numbers = CaseNumbersField(required=False, default=list)
    amount_involved = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    is_major = serializers.BooleanField(required=False, default=False)
    major_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="同一企业已有涉及相同案号的未办结诉求时，须确认不是重复填报（仅创建时检查）",
    )

    @cached_property
    def routing(self) -> services.Routing:
        """The parties that route matters in the user's mechanisms, with their organizations, read
        once (see `CourtField`); the view hands the parties on to `complaint_create`."""
        user = requesting_user(self)
        return services.routing_in_scope(user) if user is not None else services.Routing([], {})

    def validate(self, data: dict) -> dict:
        """Refuse a likely duplicate (an open complaint of the same enterprise about the same case) unless confirmed.

        Checked when filing, and when an edit changes the enterprise or the case numbers; only the
        serials the user may open are named, the others are counted.
        """
        changes_identity = self.instance is None or {"enterprise", "case_numbers"} & data.keys()
        if data.get("confirm_duplicate") or not changes_identity:
            return data
        values = self._over_instance(data)
        found = services.likely_duplicates(
            enterprise=values["enterprise"], case_numbers=values["case_numbers"], exclude=self.instance
        )
        if not found:
            return data
        user = requesting_user(self)
        visible = set(selectors.complaint_scope(user).filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
        listing = "、".join(c.serial for c in found if c.pk in visible)
        hidden = sum(1 for c in found if c.pk not in visible)
        if hidden:
            listing = " ".join(filter(None, [listing, _("另有 %(count)d 件其他单位填报的诉求") % {"count": hidden}]))
        raise serializers.ValidationError(
            {
                "confirm_duplicate": _(
                    "该企业已有涉及相同案号的未办结诉求：%(serials)s。如确认不是重复填报，请带 confirm_duplicate: true 重新提交。"
                )
                % {"serials": listing}
            }
        )

    def _over_instance(self, values: dict) -> dict:
        """The input over the current complaint (a PATCH sends only what changes)."""
        values = {k: v for k, v in values.items() if k != "confirm_duplicate"}
        complaint = self.instance
        if complaint is None:
            return values
        current = {
            "enterprise": complaint.enterprise,
            "court": complaint.court,
            "kind": complaint.kind,
            "title": complaint.title,
            "facts": complaint.facts,
            "demands": complaint.demands,
            "amount_involved": complaint.amount_involved,
            "is_major": complaint.is_major,
            "major_reason": complaint.major_reason,
            "case_numbers": parse_case_numbers("\n".join(n.number for n in complaint.case_numbers.all())),
        }
        return {**current, **values}

    def as_data(self) -> services.ComplaintData:
        return services.ComplaintData(**self._over_instance(self.validated_data))
