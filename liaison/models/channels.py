"""The outbox of every outgoing message (SMS, work-group robots, webhooks), the robots of each
mechanism, the external systems docked to the portal and their keys."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WEBHOOK = "webhook", _("系统对接推送")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """One message to send on one channel; written in the caller's transaction, sent after it."""

    kind = models.CharField(_("类型"), max_length=60)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("接收方"), max_length=500)
    payload = models.JSONField(_("内容"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    result = models.TextField(_("结果"), blank=True)
    status_code = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    # The stable id of a webhook event (the receiver deduplicates on it); the same on redelivery.
    event_id = models.CharField(_("事件编号"), max_length=64, blank=True, db_index=True)
    system = models.ForeignKey(
        "liaison.ExternalSystem",
        verbose_name=_("对接系统"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    dedup_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("发送队列消息")
        verbose_name_plural = _("发送队列消息")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due", condition=Q(status="pending")),
            models.Index(fields=["claimed_at"], name="outbox_sending", condition=Q(status="sending")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="outbox_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=OutboxState.values), name="outbox_status_valid"),
            models.UniqueConstraint(fields=["dedup_key"], name="outbox_dedup_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class RobotChannel(models.Model):
    """A mechanism's work-group robot (企业微信 or 钉钉) and the kinds of message its group sees."""

    mechanism = models.ForeignKey(
        "liaison.Mechanism", verbose_name=_("机制"), on_delete=models.CASCADE, related_name="robots"
    )
    name = models.CharField(_("名称"), max_length=60)
    channel = models.CharField(
        _("类型"),
        max_length=10,
        choices=[(Channel.WECOM.value, Channel.WECOM.label), (Channel.DINGTALK.value, Channel.DINGTALK.label)],
    )
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥（钉钉）"), max_length=200, blank=True)
    kinds = models.JSONField(_("推送的消息类型"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("工作群机器人")
        verbose_name_plural = _("工作群机器人")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["wecom", "dingtalk"]), name="robot_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism} · {self.name}"


class ExternalSystem(models.Model):
    """An external system docked to the portal (智慧法院, 网上工商联, 12345 平台...)."""

    name = models.CharField(_("系统名称"), max_length=100)
    organization = models.ForeignKey(
        "liaison.Organization", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="external_systems"
    )
    mechanisms = models.ManyToManyField("liaison.Mechanism", verbose_name=_("机制"), blank=True)
    webhook_url = models.URLField(_("推送地址"), max_length=500, blank=True)
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    event_types = models.JSONField(_("订阅的事件"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SystemKey(models.Model):
    """An API key of an external system: only its SHA-256 digest is stored."""

    system = models.ForeignKey(
        ExternalSystem, verbose_name=_("对接系统"), on_delete=models.CASCADE, related_name="keys"
    )
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.system} · {self.prefix}…"

    @property
    def in_grace(self) -> bool:
        """Rotated out but still accepted until `revoked_at` (the rotation's grace period)."""
        from django.utils import timezone

        return self.revoked_at is not None and self.revoked_at > timezone.now()


class IdempotentRequest(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed to its retries."""

    system = models.ForeignKey(ExternalSystem, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # SHA-256 of the request (method, path, body): a reuse of the key for another request is refused.
    fingerprint = models.CharField(max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "key"], name="idempotent_request_unique")]
