"""The append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import NoReturn

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

LEGACY_CHAIN = "legacy"
SYSTEM_CHAIN = "system"


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete a written audit event."""


class AuditEvent(models.Model):
    """Who did what to which object, from which state to which, when and from where."""

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        "liaison.User",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_organization = models.ForeignKey(
        "liaison.Organization",
        verbose_name=_("操作人单位"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_organization_name = models.CharField(_("操作人单位"), max_length=100, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("对象"), max_length=200)
    action = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # Which chain the event belongs to: "mechanism:<id>", "system" for events outside any
    # mechanism, "legacy" for the single chain written before chains were split.
    chain = models.CharField(max_length=40, default=SYSTEM_CHAIN)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "id"], name="audit_object"),
            models.Index(fields=["chain", "id"], name="audit_chain_order"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field except the hash itself, in a fixed order."""
        payload = {
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "actor_organization": self.actor_organization_id,
            "actor_organization_name": self.actor_organization_name,
            "content_type": self.content_type_id,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "summary": self.summary,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }
        if self.chain != LEGACY_CHAIN:
            payload["chain"] = self.chain
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self, key: bytes) -> str:
        """HMAC-SHA256 under the audit key; the legacy chain kept its plain SHA-256."""
        if self.chain == LEGACY_CHAIN:
            return hashlib.sha256(self.canonical()).hexdigest()
        return hmac.new(key, self.canonical(), hashlib.sha256).hexdigest()

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> NoReturn:
        raise AuditLogIsAppendOnly("audit events are never deleted")


class AuditChain(models.Model):
    """The head of one hash chain; locking its row serializes appends to that chain only.

    Each mechanism has its own chain, so writers in different mechanisms never wait on each
    other. The chains written since the split start from the head of the closed legacy chain.
    """

    key = models.CharField(max_length=40, primary_key=True)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    length = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    closed = models.BooleanField(default=False)
    # HMAC of the head under the audit key: a head rewritten without the key does not verify.
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"

    def seal_payload(self) -> bytes:
        return json.dumps(
            [self.key, self.anchor_hash, self.last_event_id, self.last_hash, self.length, self.closed],
            separators=(",", ":"),
        ).encode()

    def compute_seal(self, key: bytes) -> str:
        return hmac.new(key, self.seal_payload(), hashlib.sha256).hexdigest()
