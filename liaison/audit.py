"""Writing and verifying the audit log.

Every state change and every edit calls `record()` inside the same transaction as the change.
Appends are serialized by locking the chain head row, so the chain has no forks.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import context
from .models import AuditChainHead, AuditEvent, User

GENESIS_HASH = "0" * 64

# Words for the codes stored in events, so timelines read as sentences. Each app registers its
# own under its app label (two apps may both have an "assign"); the core's are the fallback.
_ACTION_LABELS: dict[tuple[str | None, str], object] = {}
_STATE_LABELS: dict[tuple[str | None, str], object] = {}


def register_labels(*, app: str | None = None, actions: dict[str, object] | None = None,
                    states: dict[str, object] | None = None) -> None:
    _ACTION_LABELS.update({(app, code): label for code, label in (actions or {}).items()})
    _STATE_LABELS.update({(app, code): label for code, label in (states or {}).items()})


def action_label(code: str, app: str | None = None) -> str:
    return str(_ACTION_LABELS.get((app, code)) or _ACTION_LABELS.get((None, code)) or code)


def state_label(code: str, app: str | None = None) -> str:
    return str(_STATE_LABELS.get((app, code)) or _STATE_LABELS.get((None, code)) or code)


def event_app(event: AuditEvent) -> str | None:
    return event.content_type.app_label if isinstance(event, AuditEvent) else None


def record(
    *,
    actor: User | None,
    target: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    summary: str = "",
) -> AuditEvent:
    """Append one event to the chain: who, which object, old → new state, a short summary."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        organization = getattr(actor, "organization", None) if actor else None
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if actor and actor.pk else None,
            actor_name=(actor.display_name if actor else "系统")[:150],
            actor_organization=organization,
            actor_organization_name=organization.name if organization else "",
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            action=action[:40],
            from_state=str(from_state)[:40],
            to_state=str(to_state)[:40],
            summary=summary[:500],
            ip_address=context.current().ip_address,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_event_id, head.last_hash, head.length = event.pk, event.hash, head.length + 1
        head.save(update_fields=["last_event_id", "last_hash", "length"])
    return event


def changed_fields_summary(before: dict, after: dict, labels: dict[str, str]) -> str:
    """'字段：旧 → 新' for the fields that differ, to describe an edit in the log."""
    parts = [
        f"{labels.get(name, name)}：{before.get(name)!s} → {after.get(name)!s}"
        for name in after
        if before.get(name) != after.get(name)
    ]
    return "；".join(parts)


def history(target: models.Model) -> models.QuerySet[AuditEvent]:
    """The object's events, oldest first, for its timeline."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
    ).order_by("id")


@dataclass
class ChainReport:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in id order; report every edited, inserted or missing event."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        checked += 1
        if event.prev_hash != expected_prev:
            problems.append(f"事件 {event.pk}：与前一条记录不衔接（其前的记录被删除或修改）")
        if event.compute_hash() != event.hash:
            problems.append(f"事件 {event.pk}：内容与哈希不符（记录被修改）")
        expected_prev = event.hash
        last_id = event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.length != checked or head.last_event_id != last_id or head.last_hash != expected_prev:
            problems.append(
                f"链尾不符：应有 {head.length} 条、末条 {head.last_event_id}，实有 {checked} 条、末条 {last_id}"
            )
    elif checked:
        problems.append("缺少审计链头记录")
    return ChainReport(checked, problems)
