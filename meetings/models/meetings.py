"""Meetings of a mechanism, the people invited to them and their agenda."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import AgendaKind, Attendance, MeetingKind, MeetingStatus, Rsvp


class Meeting(models.Model):
    """A joint meeting, plenary, coordination meeting or high-level consultation of one mechanism."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    online_link = models.URLField(_("线上会议链接"), max_length=300, blank=True)
    convenor = models.ForeignKey(
        "liaison.Organization", verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="convened_meetings"
    )
    chair = models.CharField(_("主持人"), max_length=60, blank=True)
    notes = models.TextField(_("会议说明"), blank=True)
    reason = models.CharField(_("延期或取消的理由"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(
        _("日历版本号"), default=0, help_text=_("iCalendar SEQUENCE：通知发出后每次变更加一，日历软件据此更新")
    )
    notice_sent_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("确认召开时间"), null=True, blank=True)
    created_by = models.ForeignKey("liaison.User", verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["mechanism", "kind", "status", "starts_at"], name="meeting_cadence"),
            models.Index(fields=["mechanism", "-starts_at"], name="meeting_mechanism_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="meeting_has_place_or_link",
                violation_error_message=_("请填写会议地点或线上会议链接。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[MeetingStatus.POSTPONED, MeetingStatus.CANCELLED]) | ~Q(reason=""),
                name="meeting_postponed_or_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        """The iCalendar UID: the same for every version of the invitation."""
        return f"meeting-{self.pk}@liaison"


class Invitee(models.Model):
    """Someone invited: a user of the portal, or an outside person with organization and title."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        "liaison.User",
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    organization = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    title = models.CharField(_("职务"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    rsvp = models.CharField(_("回复"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_note = models.CharField(_("回复说明"), max_length=200, blank=True)
    rsvp_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    attendance = models.CharField(_("出席情况"), max_length=12, choices=Attendance.choices, default=Attendance.UNKNOWN)
    represented_by = models.CharField(_("委托出席人"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="invitee_user_or_name",
                violation_error_message=_("请填写参会人员姓名。"),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="invitee_user_once_per_meeting",
                violation_error_message=_("该人员已在参会名单中。"),
            ),
            models.CheckConstraint(condition=Q(rsvp__in=Rsvp.values), name="invitee_rsvp_valid"),
            models.CheckConstraint(condition=Q(attendance__in=Attendance.values), name="invitee_attendance_valid"),
            models.CheckConstraint(
                condition=~Q(attendance=Attendance.REPRESENTED) | ~Q(represented_by=""),
                name="invitee_represented_names_the_deputy",
                violation_error_message=_("委托出席的，请填写出席人姓名。"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name

    @property
    def organization_display(self) -> str:
        if self.organization_id:
            return self.organization.name
        if self.user_id and self.user.organization_id:
            return self.user.organization.name
        return self.organization_name

    @property
    def title_display(self) -> str:
        return self.title or (self.user.title if self.user_id else "")

    @property
    def address(self) -> str:
        return (self.user.email if self.user_id else "") or self.email


class AgendaItem(models.Model):
    """One item of a meeting's agenda; it may carry open action items or complaints queued for transfer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("议题类型"), max_length=20, choices=AgendaKind.choices, default=AgendaKind.GENERAL)
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    presenter = models.CharField(_("汇报人"), max_length=60, blank=True)
    action_items = models.ManyToManyField(
        "meetings.ActionItem", verbose_name=_("督办事项"), blank=True, related_name="agenda_items"
    )
    complaints = models.ManyToManyField(
        "cases.Complaint", verbose_name=_("待移送诉求"), blank=True, related_name="meeting_agenda_items"
    )
    transfers = models.ManyToManyField(
        "cases.Transfer", verbose_name=_("会上移送的移送函"), blank=True, related_name="meeting_agenda_items"
    )

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgendaKind.values), name="agenda_item_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="agenda_item_has_title"),
        ]

    def __str__(self) -> str:
        return self.title
