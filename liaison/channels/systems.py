"""Docked external systems: who sees their deliveries, their API keys, manual redelivery, figures.

A system's delivery log is seen by administrators and by the people of the system's own
organization; anyone else gets 404. Keys and redelivery are for administrators only.
A key is shown once when issued; only its SHA-256 digest is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ActionRefused
from ..models import ExternalSystem, IdempotentRequest, OutboxMessage, OutboxState, SystemKey, User
from . import outbox

KEY_PREFIX = "lk_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def systems_visible(user: User) -> QuerySet[ExternalSystem]:
    rows = ExternalSystem.objects.select_related("organization")
    if user.is_administrator:
        return rows
    return rows.filter(organization_id=user.organization_id) if user.organization_id else rows.none()


def systems_with_figures(user: User) -> list[ExternalSystem]:
    """The visible systems, each with its delivery counts and average delay, in one query."""
    sent = Q(deliveries__status=OutboxState.SENT)
    rows = (
        systems_visible(user)
        .annotate(
            total=Count("deliveries"),
            sent=Count("deliveries", filter=sent),
            failed=Count("deliveries", filter=Q(deliveries__status=OutboxState.FAILED)),
            waiting=Count("deliveries", filter=Q(deliveries__status__in=[OutboxState.PENDING, OutboxState.SENDING])),
            delay=Avg(F("deliveries__sent_at") - F("deliveries__created_at"), filter=sent),
        )
        .order_by("name")
    )
    result: list[Any] = list(rows)
    for system in result:
        done = system.sent + system.failed
        system.success_rate = round(100 * system.sent / done, 1) if done else None
        system.delay_seconds = round(system.delay.total_seconds(), 1) if system.delay is not None else None
    return result


def system_get(*, user: User, pk: int) -> ExternalSystem:
    system = systems_visible(user).filter(pk=pk).first()
    if system is None:
        raise Http404
    return system


def delivery_get(*, user: User, pk: int) -> OutboxMessage:
    message = OutboxMessage.objects.filter(pk=pk, system__in=systems_visible(user)).select_related("system").first()
    if message is None:
        raise Http404
    return message


def deliveries(*, system: ExternalSystem, status: str = "") -> QuerySet[OutboxMessage]:
    rows = OutboxMessage.objects.filter(system=system).order_by("-id")
    return rows.filter(status=status) if status in OutboxState.values else rows


def _require_admin(actor: User, what: str) -> None:
    if not actor.is_administrator:
        raise ActionRefused(_("只有系统管理员才能“%(what)s”。") % {"what": what}, ActionRefused.PERMISSION)


KEY_GRACE_MAX_HOURS = 168


def system_key_rotate(*, actor: User, system: ExternalSystem, grace_hours: int = 0) -> str:
    """Issue a new key for the system and revoke its others; returns the key (shown once).

    With a grace period the old keys keep working until then (`revoked_at` in the future), so the
    system can switch over without a refused request; without one they stop at once.
    """
    _require_admin(actor, _("更换接口密钥"))
    if not 0 <= grace_hours <= KEY_GRACE_MAX_HOURS:
        raise ActionRefused(
            _("旧密钥的宽限期须在 0 至 %(max)d 小时之间。") % {"max": KEY_GRACE_MAX_HOURS},
            ActionRefused.INVALID,
            field="grace_hours",
        )
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    until = now + dt.timedelta(hours=grace_hours)
    with transaction.atomic():
        # A key already in a shorter grace period keeps its end.
        still_valid = SystemKey.objects.filter(system=system).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=until)
        )
        revoked = still_valid.update(revoked_at=until)
        SystemKey.objects.create(system=system, prefix=raw[:10], digest=_digest(raw))
        system_account(system)
        if grace_hours:
            summary = _("新密钥 %(prefix)s…，旧密钥 %(n)d 个于 %(until)s 作废") % {
                "prefix": raw[:10],
                "n": revoked,
                "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
            }
        else:
            summary = _("新密钥 %(prefix)s…，作废旧密钥 %(n)d 个") % {"prefix": raw[:10], "n": revoked}
        audit.record(actor=actor, target=system, action="system_key_rotate", summary=summary)
    return raw


def system_for_key(raw: str) -> ExternalSystem | None:
    """The active system whose valid key this is, or None."""
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    key = (
        SystemKey.objects.filter(digest=_digest(raw), system__is_active=True)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=timezone.now()))
        .select_related("system", "system__organization")
        .first()
    )
    if key is None:
        return None
    SystemKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.system


def system_account(system: ExternalSystem) -> User:
    """The service account a system acts as: a user of its organization who files for it
    (federation staff), without a password; audit events name it after the system."""
    from ..choices import Role
    from ..models import RoleAssignment

    with transaction.atomic():  # the account and its role commit together
        user, created = User.objects.get_or_create(
            username=f"system-{system.pk}",
            defaults={"organization_id": system.organization_id, "full_name": system.name[:40], "is_active": True},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            RoleAssignment.objects.create(user=user, role=Role.FEDERATION_STAFF)
    return user


def delivery_redeliver(*, actor: User, message: OutboxMessage) -> OutboxMessage:
    """Send a delivered or failed webhook again, with the same event id (the receiver deduplicates)."""
    _require_admin(actor, _("重新推送"))
    with transaction.atomic():
        if not outbox.redeliver(message):
            raise ActionRefused(_("该推送正在等待发送，无需重新推送。"), ActionRefused.STATE)
        if message.system is not None:
            audit.record(
                actor=actor,
                target=message.system,
                action="delivery_redeliver",
                summary=f"{message.kind} {message.event_id}",
            )
    message.refresh_from_db()
    return message


def delivery_figures(rows: QuerySet[OutboxMessage]) -> dict:
    """Success share and delay (creation → delivery) of a set of outbox rows, in one query."""
    figures = rows.aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=OutboxState.SENT)),
        failed=Count("id", filter=Q(status=OutboxState.FAILED)),
        waiting=Count("id", filter=Q(status__in=[OutboxState.PENDING, OutboxState.SENDING])),
        delay=Avg(F("sent_at") - F("created_at"), filter=Q(status=OutboxState.SENT)),
        duration=Avg("duration_ms", filter=Q(status=OutboxState.SENT)),
    )
    done = figures["sent"] + figures["failed"]
    figures["success_rate"] = round(100 * figures["sent"] / done, 1) if done else None
    delay = figures["delay"]
    figures["delay_seconds"] = round(delay.total_seconds(), 1) if delay is not None else None
    figures["duration_ms"] = round(figures["duration"]) if figures["duration"] is not None else None
    return figures


def channel_figures() -> list[dict]:
    """The figures of each channel (SMS, robots, webhooks, digests)."""
    from ..models import Channel

    result = []
    for channel in Channel:
        figures = delivery_figures(OutboxMessage.objects.filter(channel=channel))
        result.append({"channel": channel.label, **figures})
    return result


def prune_idempotent_requests(batch_size: int = 10_000) -> int:
    """Delete the remembered answers to Idempotency-Key requests older than the retention period;
    after that the key may be used again."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS)
    deleted = 0
    while True:
        ids = list(IdempotentRequest.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += IdempotentRequest.objects.filter(pk__in=ids).delete()[0]
