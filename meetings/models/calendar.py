"""Each user's calendar feed, and the outbox of invitation emails (each with its .ics)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import EmailState


class CalendarFeed(models.Model):
    """The secret address of a user's meetings as an iCalendar feed; reset it to revoke the old one."""

    user = models.OneToOneField("liaison.User", on_delete=models.CASCADE, related_name="meeting_calendar_feed")
    token = models.CharField(_("密钥"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议日历订阅")
        verbose_name_plural = _("会议日历订阅")

    def __str__(self) -> str:
        return str(self.user)


class InvitationEmail(models.Model):
    """One invitation (or update, or cancellation) to send by email, written with the change.

    A Celery task queued on commit claims each row with a conditional update, so a redelivered
    task sends nothing twice; the .ics is built when sending, from `method` and `sequence`.
    """

    METHOD_REQUEST, METHOD_CANCEL = "REQUEST", "CANCEL"

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="invitation_emails")
    invitee = models.ForeignKey("meetings.Invitee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.EmailField(_("收件地址"))
    name = models.CharField(_("收件人"), max_length=60, blank=True)
    method = models.CharField(
        _("类型"), max_length=10, choices=[(METHOD_REQUEST, _("邀请或更新")), (METHOD_CANCEL, _("取消"))]
    )
    sequence = models.PositiveIntegerField(_("日历版本号"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议邀请邮件")
        verbose_name_plural = _("会议邀请邮件")
        ordering = ["id"]
        indexes = [models.Index(fields=["state"], name="invitation_email_pending", condition=Q(state="pending"))]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=EmailState.values), name="invitation_email_state_valid"),
            models.CheckConstraint(condition=Q(method__in=["REQUEST", "CANCEL"]), name="invitation_email_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"
