"""In-app notifications (with optional email) and each user's email choices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import EmailState, NotificationKind


class Notification(models.Model):
    recipient = models.ForeignKey(
        "liaison.User",
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # served by notification_unread (recipient, read_at)
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Unique through a constraint rather than unique=True: no second (LIKE) index on PostgreSQL
    # to maintain on every insert.
    dedup_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        help_text=_("同一提醒只生成一次：第二次或并发的扫描因唯一约束而不再插入"),
    )
    email_state = models.CharField(_("邮件"), max_length=10, choices=EmailState.choices, default=EmailState.NOT_NEEDED)
    # When a worker claimed the email for sending: a row still "sending" long after was left by
    # a worker that died, and is sent again.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_state"], name="notification_email_state", condition=Q(email_state="pending")),
            models.Index(
                fields=["email_claimed_at"], name="notification_email_sending", condition=Q(email_state="sending")
            ),
            models.Index(fields=["read_at"], name="notification_read", condition=Q(read_at__isnull=False)),
            # What a sweep or a notify just wrote (its SMS, its events) is found by time.
            models.Index(fields=["created_at"], name="notification_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
            models.CheckConstraint(
                condition=Q(email_state__in=EmailState.values), name="notification_email_state_valid"
            ),
            models.UniqueConstraint(fields=["dedup_key"], name="notification_dedup_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a kind of notification reaches the user: in the app, by email (single or a daily digest), by SMS."""

    user = models.ForeignKey("liaison.User", on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    by_email = models.BooleanField(_("同时发送邮件"))
    in_app = models.BooleanField(_("站内通知"), default=True, db_default=True)
    by_sms = models.BooleanField(_("短信"), default=False, db_default=False)
    # One email a day listing these notifications, instead of one email each.
    digest = models.BooleanField(_("每日汇总邮件"), default=False, db_default=False)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]


class ReminderSweep(models.Model):
    """Where the last reminder sweep got to, so that the next one looks only at what changed:
    the deadlines whose date crossed a threshold since that day, and those edited since then."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    swept_on = models.DateField()
    swept_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="reminder_sweep_singleton")]
