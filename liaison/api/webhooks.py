"""The webhooks section of the OpenAPI document: what a docked system receives."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from ..channels.events import EVENT_TYPES, PAYLOAD_VERSION


class WebhookMechanismSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WebhookObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=_("对象类型，如 cases.complaint"))
    id = serializers.IntegerField()


class WebhookEventSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=_("事件编号：同一事件的每次推送（含重试、重新推送）都相同，接收方据此去重"))
    type = serializers.ChoiceField(choices=list(EVENT_TYPES.items()), help_text=_("事件类型"))
    version = serializers.ChoiceField(choices=[PAYLOAD_VERSION], help_text=_("载荷版本"))
    occurred_at = serializers.DateTimeField()
    mechanism = WebhookMechanismSerializer()
    object = WebhookObjectSerializer()
    data = serializers.DictField(  # type: ignore[assignment] # the payload's field, not Serializer.data
        help_text=_("对象的公开字段（各事件类型见文档），仅含对接单位可见的内容")
    )


event = OpenApiWebhook(
    name="LiaisonEvent",
    decorator=extend_schema(
        summary=_("事件推送"),
        description=_(
            "平台以 POST 推送 JSON 事件到对接系统登记的地址。请求头 X-Liaison-Timestamp 为 Unix 秒，"
            "X-Liaison-Signature 为 sha256=<HMAC-SHA256(密钥, 时间戳 + '.' + 原始请求体) 的十六进制>，"
            "X-Liaison-Event 为事件类型，X-Liaison-Event-Id 为事件编号。返回 2xx 视为送达；"
            "否则按指数退避重试，达到上限后记为失败，可在推送记录页重新推送。至少送达一次：请按事件编号去重。"
        ),
        request=WebhookEventSerializer,
        responses={200: OpenApiResponse(description=_("已接收"))},
    ),
)
