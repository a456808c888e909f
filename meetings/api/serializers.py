"""Serializers of the meetings API: they shape output and validate input; the views call the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Complaint
from cases.selectors import complaint_scope
from liaison import attachments, scoping
from liaison.api.common import BlankAsNullURLField
from liaison.api.serializers import DepartmentSerializer, OrganizationSerializer, PersonSerializer
from liaison.limits import LONG_TEXT
from liaison.models import Attachment, Department, Mechanism, Organization, User

from .. import selectors, services
from ..choices import Attendance, ItemState, MeetingKind, MonthState, Rsvp
from ..models import (
    ActionItem,
    AgendaItem,
    DualList,
    Indicator,
    Invitee,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesSection,
    ProgressReport,
    TaskOwner,
)


def _user(serializer: serializers.Field) -> User | None:
    """The requesting user, or None while the schema is generated (no real request then)."""
    request = serializer.context.get("request")
    if request is None or getattr(serializer.context.get("view"), "swagger_fake_view", False):
        return None
    return request.user


# --- meetings -----------------------------------------------------------------------------------


class InviteeSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name", read_only=True)
    organization = serializers.CharField(source="organization_display", read_only=True)
    title = serializers.CharField(source="title_display", read_only=True)
    rsvp_display = serializers.CharField(source="get_rsvp_display", read_only=True)
    attendance_display = serializers.CharField(source="get_attendance_display", read_only=True)

    class Meta:
        model = Invitee
        fields = [
            "id",
            "user",
            "name",
            "organization",
            "title",
            "rsvp",
            "rsvp_display",
            "rsvp_note",
            "rsvp_at",
            "attendance",
            "attendance_display",
            "represented_by",
        ]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    action_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    complaints = serializers.SerializerMethodField(help_text="本人可见的待移送诉求（移送前仅工商联可见）")
    hidden_complaints = serializers.SerializerMethodField(help_text="本人不可见的诉求件数")
    transfers = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "kind",
            "kind_display",
            "title",
            "description",
            "presenter",
            "action_items",
            "complaints",
            "hidden_complaints",
            "transfers",
        ]
        read_only_fields = fields

    def _visible(self) -> set[int]:
        return self.context.get("visible_complaints", set())

    def get_complaints(self, item: AgendaItem) -> list[int]:
        return [c.pk for c in item.complaints.all() if c.pk in self._visible()]

    def get_hidden_complaints(self, item: AgendaItem) -> int:
        return sum(1 for c in item.complaints.all() if c.pk not in self._visible())


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting in lists: read from the annotated list query, nothing per row."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    convenor = OrganizationSerializer(read_only=True)
    invitee_count = serializers.IntegerField(read_only=True)
    ics_url = serializers.SerializerMethodField()
    online_link = BlankAsNullURLField(help_text="线上会议链接；没有时为 null")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "mechanism",
            "kind",
            "kind_display",
            "title",
            "status",
            "status_display",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "convenor",
            "chair",
            "sequence",
            "invitee_count",
            "ics_url",
        ]
        read_only_fields = fields

    def get_ics_url(self, meeting: Meeting) -> str:
        return reverse("meeting-ics", args=[meeting.pk])


class MeetingDetailSerializer(MeetingSerializer):
    invitee_count = serializers.SerializerMethodField()
    invitees = InviteeSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    minutes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以办理的操作：send_notice, postpone, cancel, hold, edit, attendance, draft_minutes"
    )

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "notes",
            "reason",
            "notice_sent_at",
            "held_at",
            "invitees",
            "agenda",
            "minutes",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_invitee_count(self, meeting: Meeting) -> int:
        return len(meeting.invitees.all())

    def get_allowed_actions(self, meeting: Meeting) -> list[str]:
        user = _user(self)
        return services.allowed_actions(user, meeting) if user is not None else []


class OutsideAttendeeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    organization_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class MeetingWriteSerializer(serializers.Serializer):
    """Input of planning a meeting (all fields) and changing it (PATCH: only the fields sent)."""

    mechanism = serializers.PrimaryKeyRelatedField(
        queryset=Mechanism.objects.none(), help_text="机制（仅创建时；须为本单位参与的机制）"
    )
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_link = serializers.URLField(max_length=300, required=False, allow_blank=True, default="")
    convenor = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="召集单位（默认机制的召集单位）",
    )
    chair = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    invitees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        many=True,
        required=False,
        default=list,
        help_text="参会人员（机制参与单位的用户）",
    )
    outside = OutsideAttendeeSerializer(many=True, required=False, default=list, help_text="外单位列席人员")
    action_items = serializers.PrimaryKeyRelatedField(
        queryset=ActionItem.objects.none(),
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="联席会议默认议题保留的督办事项；省略则为机制全部未办结事项",
    )
    complaints = serializers.PrimaryKeyRelatedField(
        queryset=Complaint.objects.none(),
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="联席会议默认议题保留的待移送诉求；省略则为机制全部待移送诉求",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            mechanisms = scoping.actionable_mechanisms(user)
            self.fields["mechanism"].queryset = mechanisms
            self.fields["convenor"].queryset = scoping.visible_organizations(user)
            self.fields["invitees"].child_relation.queryset = User.objects.filter(
                organization__in=scoping.visible_organizations(user), is_active=True
            )
            self.fields["action_items"].child_relation.queryset = selectors.item_scope(user)
            self.fields["complaints"].child_relation.queryset = Complaint.objects.filter(
                mechanism__in=mechanisms.values("pk"), status="queued"
            )
        if self.instance is not None:
            for name in ("mechanism", "action_items", "complaints"):
                self.fields.pop(name)

    def as_data(self) -> services.MeetingData:
        values = dict(self.validated_data)
        for name in ("mechanism", "action_items", "complaints"):
            values.pop(name, None)
        meeting = self.instance
        if meeting is not None:
            current = {name: getattr(meeting, name) for name in services.meetings.FIELDS}
            current["convenor"] = meeting.convenor
            current["invitees"] = [i.user for i in meeting.invitees.all() if i.user_id]
            current["outside"] = [
                services.OutsideAttendee(i.name, i.organization_name, i.title, i.email)
                for i in meeting.invitees.all()
                if not i.user_id
            ]
            values = {**current, **values}
        values["outside"] = [
            o if isinstance(o, services.OutsideAttendee) else services.OutsideAttendee(**o)
            for o in values.get("outside", [])
        ]
        return services.MeetingData(**values)


class MeetingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="理由（必填）")


class MeetingPostponeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="延期理由（必填）")
    starts_at = serializers.DateTimeField(help_text="新的开始时间")
    ends_at = serializers.DateTimeField(help_text="新的结束时间")


class MeetingRsvpSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[Rsvp.ACCEPTED, Rsvp.TENTATIVE, Rsvp.DECLINED])
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="说明（不参加时必填）"
    )
    invitee = serializers.IntegerField(required=False, help_text="代为回复的参会人员（仅会议秘书）；省略为本人")


class AttendanceEntrySerializer(serializers.Serializer):
    invitee = serializers.IntegerField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    represented_by = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="委托出席人（委托出席时必填）"
    )


class AttendanceRecordSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True, allow_empty=False)


class AgendaTransferSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField(help_text="议题")
    complaints = serializers.PrimaryKeyRelatedField(
        queryset=Complaint.objects.none(), many=True, allow_empty=False, help_text="在本次会议移送的诉求"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["complaints"].child_relation.queryset = complaint_scope(user)


# --- minutes -----------------------------------------------------------------------------------------


class MinutesSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesSection
        fields = ["order", "heading", "discussion", "agenda_item"]
        read_only_fields = fields


class MinutesActionItemSerializer(serializers.ModelSerializer):
    owner_organization = OrganizationSerializer(read_only=True)
    owner_department = DepartmentSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "order",
            "title",
            "target",
            "owner_organization",
            "owner_department",
            "due_date",
            "status",
            "status_display",
        ]
        read_only_fields = fields


class MinutesApprovalSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = MinutesApproval
        fields = ["round", "organization", "decision", "decision_display", "comment", "decided_by", "decided_at"]
        read_only_fields = fields


class MinutesSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Minutes
        fields = [
            "id",
            "mechanism",
            "meeting",
            "corrects",
            "title",
            "status",
            "status_display",
            "number",
            "year",
            "sequence",
            "approval_round",
            "created_at",
            "submitted_at",
            "approved_at",
            "issued_at",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, minutes: Minutes) -> str:
        return reverse("minutes-pdf", args=[minutes.pk])


class MinutesDetailSerializer(MinutesSerializer):
    sections = MinutesSectionSerializer(many=True, read_only=True)
    decisions = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)
    action_items = MinutesActionItemSerializer(many=True, read_only=True)
    approvals = MinutesApprovalSerializer(many=True, read_only=True)
    distribution = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text="edit, submit, decide, issue, correct")

    class Meta(MinutesSerializer.Meta):
        fields = [
            *MinutesSerializer.Meta.fields,
            "summary",
            "sections",
            "decisions",
            "action_items",
            "approvals",
            "distribution",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_distribution(self, minutes: Minutes) -> list[str]:
        return [d.organization.name for d in minutes.distribution.all()]

    def get_allowed_actions(self, minutes: Minutes) -> list[str]:
        user = _user(self)
        return services.minutes_allowed_actions(user, minutes) if user is not None else []


class MinutesSectionWriteSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=200, allow_blank=True)
    discussion = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)
    agenda_item = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="对应的会议议题")


class MinutesActionItemWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    owner_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="责任单位（机制参与单位）"
    )
    owner_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, default=None
    )
    due_date = serializers.DateField()
    target = serializers.CharField(required=False, allow_blank=True, default="")


class MinutesWriteSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none(), help_text="会议（仅起草时）")
    title = serializers.CharField(max_length=200, allow_blank=True)
    summary = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)
    sections = MinutesSectionWriteSerializer(many=True, required=False, default=list)
    decisions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    action_items = MinutesActionItemWriteSerializer(many=True, required=False, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["meeting"].queryset = selectors.meeting_scope(user)
        if self.instance is not None:
            self.fields.pop("meeting")

    def as_data(self, meeting: Meeting) -> services.MinutesData:
        d = self.validated_data
        agenda = {item.pk: item for item in meeting.agenda_items.all()}
        sections = []
        for section in d.get("sections", []):
            item = section.get("agenda_item")
            if item is not None and item not in agenda:
                raise serializers.ValidationError({"sections": ["议题不属于本次会议。"]})
            sections.append(
                services.SectionData(section["heading"], section["discussion"], agenda.get(item) if item else None)
            )
        return services.MinutesData(
            title=d["title"],
            summary=d["summary"],
            sections=sections,
            decisions=d.get("decisions", []),
            action_items=[
                services.ItemData(
                    title=i["title"],
                    owner_organization=i["owner_organization"],
                    owner_department=i.get("owner_department"),
                    due_date=i["due_date"],
                    target=i.get("target", ""),
                )
                for i in d.get("action_items", [])
            ],
        )


class MinutesDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 同意，false 退回修改")
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="意见（退回时必填）")


# --- action items and tasks ---------------------------------------------------------------------------


class IndicatorMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    state = serializers.ChoiceField(
        choices=MonthState.choices, help_text="met 达标 / not_met 未达标 / not_reported 未报送"
    )


class IndicatorSerializer(serializers.ModelSerializer):
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    months = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "direction", "direction_display", "target", "source", "metric", "months"]
        read_only_fields = fields

    @extend_schema_field(IndicatorMonthSerializer(many=True))
    def get_months(self, indicator: Indicator) -> list[dict]:
        months = self.context.get("indicator_months", {}).get(indicator.pk, [])
        rows = [{"month": m.month, "value": m.value, "state": m.state} for m in months]
        return IndicatorMonthSerializer(rows, many=True).data


class TaskOwnerSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    department = DepartmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TaskOwner
        fields = ["role", "organization", "department"]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer):
    """An action item or a dual-list task, with its derived state (overdue when past its date)."""

    source_display = serializers.CharField(source="get_source_display", read_only=True)
    owner_organization = OrganizationSerializer(read_only=True)
    owner_department = DepartmentSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    state = serializers.SerializerMethodField(help_text="draft/open/in_progress/overdue/done（逾期为派生状态）")
    state_display = serializers.SerializerMethodField()
    minutes_number = serializers.CharField(source="minutes.number", default=None, read_only=True)
    report_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "mechanism",
            "source",
            "source_display",
            "minutes",
            "minutes_number",
            "dual_list",
            "order",
            "title",
            "target",
            "owner_organization",
            "owner_department",
            "responsible_units",
            "due_date",
            "status",
            "status_display",
            "state",
            "state_display",
            "report_count",
            "completion_reported_at",
            "closed_at",
            "closing_note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ItemState.choices))
    def get_state(self, item: ActionItem) -> str:
        return getattr(item, "state", item.status)

    def get_state_display(self, item: ActionItem) -> str:
        return str(ItemState(self.get_state(item)).label)


class ActionItemDetailSerializer(ActionItemSerializer):
    allowed_actions = serializers.SerializerMethodField(help_text="progress, indicator, close")
    owners = serializers.SerializerMethodField(help_text="牵头单位、共同牵头单位和责任部门")
    indicators = serializers.SerializerMethodField(help_text="指标及其各月数值、是否达标")
    indicator_state = serializers.SerializerMethodField(
        help_text="最近一月：met / not_met / not_reported；无指标为 null"
    )

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "allowed_actions", "owners", "indicators", "indicator_state"]
        read_only_fields = fields

    def _rows(self, item: ActionItem) -> list:
        from ..indicators import indicator_rows

        cached = self.context.setdefault("_indicator_rows", {})
        if item.pk not in cached:
            cached[item.pk] = indicator_rows(item)
        return cached[item.pk]

    @extend_schema_field(TaskOwnerSerializer(many=True))
    def get_owners(self, item: ActionItem) -> list[dict]:
        return TaskOwnerSerializer(item.owners.select_related("organization", "department"), many=True).data

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, item: ActionItem) -> list[dict]:
        rows = self._rows(item)
        context = {**self.context, "indicator_months": {row.indicator.pk: row.months for row in rows}}
        return IndicatorSerializer([row.indicator for row in rows], many=True, context=context).data

    @extend_schema_field(serializers.ChoiceField(choices=MonthState.choices, allow_null=True))
    def get_indicator_state(self, item: ActionItem) -> str | None:
        from ..indicators import item_indicator_state

        return item_indicator_state(self._rows(item))

    def get_allowed_actions(self, item: ActionItem) -> list[str]:
        user = _user(self)
        return services.item_allowed_actions(user, item) if user is not None else []


class ProgressAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("attachment_download", args=[attachment.pk])


class ProgressReportSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    organization = OrganizationSerializer(read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "author", "organization", "text", "reports_completion", "created_at", "files"]
        read_only_fields = fields

    @extend_schema_field(ProgressAttachmentSerializer(many=True))
    def get_files(self, report: ProgressReport) -> list[dict]:
        return ProgressAttachmentSerializer(attachments.attachments_of(report), many=True).data


class ProgressWriteSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=LONG_TEXT, help_text="进展情况（必填）")
    completed = serializers.BooleanField(required=False, default=False, help_text="已完成，申请办结销号")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="附件（multipart/form-data，可多个）；仅接受 PDF、图片、Word、Excel",
    )

    def validate_files(self, files: list) -> list:
        try:
            return attachments.validate_files(files)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class IndicatorValueWriteSerializer(serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), help_text="本任务的指标 id")
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], help_text="月份，如 2026-03")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), help_text="该月数值")


class ItemCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="办结意见")


# --- dual lists --------------------------------------------------------------------------------------


class DualListSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    task_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    export_url = serializers.SerializerMethodField()

    class Meta:
        model = DualList
        fields = [
            "id",
            "mechanism",
            "year",
            "title",
            "status",
            "status_display",
            "approved_at_meeting",
            "approved_at",
            "task_count",
            "done_count",
            "export_url",
        ]
        read_only_fields = fields

    def get_export_url(self, dual_list: DualList) -> str:
        return reverse("dual-list-export", args=[dual_list.pk])


class DualListWriteSerializer(serializers.Serializer):
    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["mechanism"].queryset = scoping.actionable_mechanisms(user)


class DualListImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "Excel（.xlsx）：序号、任务、牵头单位、牵头部门、责任单位、目标要求、完成时限；牵头单位、牵头部门、"
            "责任单位可填多个（用顿号分隔）；可加指标列：指标1名称、指标1单位、指标1方向（不高于/不低于）、指标1目标、指标1口径"
        )
    )
    create_departments = serializers.BooleanField(
        required=False, default=False, help_text="确认创建表中尚未建立的部门（未确认时返回其清单）"
    )


class DualListApproveSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none(), help_text="审定双清单的全体会议")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["meeting"].queryset = selectors.meeting_scope(user)


# --- figures -------------------------------------------------------------------------------------


class ItemFiguresSerializer(serializers.Serializer):
    """Action items or dual-list tasks due in the range (drafts left out)."""

    total = serializers.IntegerField(help_text="期间到期数")
    done = serializers.IntegerField(help_text="已办结")
    done_on_time = serializers.IntegerField(help_text="按期办结（办结日不晚于完成时限）")
    on_time_share = serializers.FloatField(allow_null=True, help_text="按期办结率（0–1）")
    open_overdue = serializers.IntegerField(help_text="未办结且已逾期")


class MeetingFiguresSerializer(serializers.Serializer):
    """Meeting figures of the range (see `meetings.figures`)."""

    mechanism = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    joint_meetings_held = serializers.IntegerField(help_text="期间召开的联席会议（含全体会议）")
    joint_meetings_required = serializers.IntegerField(help_text="按会议频次应召开的联席会议（每季度次数×涉及季度数）")
    joint_meetings_share = serializers.FloatField(allow_null=True, help_text="召开数/应召开数")
    plenaries_held = serializers.IntegerField(help_text="期间召开的全体会议")
    action_items = ItemFiguresSerializer(help_text="会议纪要督办事项")
    tasks = ItemFiguresSerializer(help_text="双清单任务")
