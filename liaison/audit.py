"""Writing and verifying the audit log.

Every state change and every edit calls `record()` inside the same transaction as the change.
Events form one hash chain per mechanism (and one for events outside any mechanism); an append
locks only its chain's head row, so writers in different mechanisms do not wait on each other.
Each event carries an HMAC under a key kept outside the database, and a signed checkpoint of
every chain head, written daily, reveals a chain cut short or wiped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import context
from .models import AuditChain, AuditEvent, Mechanism, User
from .models.audit import LEGACY_CHAIN, SYSTEM_CHAIN

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
_warned_about_key = False


def audit_key() -> bytes:
    """The HMAC key: AUDIT_KEY, or one derived from SECRET_KEY (with a warning) when unset."""
    global _warned_about_key
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    if not _warned_about_key and not settings.DEBUG:
        logger.warning("AUDIT_KEY is not set: the audit chain is keyed with a key derived from SECRET_KEY")
        _warned_about_key = True
    return hashlib.sha256(b"liaison-audit-key:" + settings.SECRET_KEY.encode()).digest()


@checks.register(checks.Tags.security, deploy=True)
def check_audit_key(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """In production the audit key must be set: one derived from SECRET_KEY lives with it."""
    if settings.AUDIT_KEY:
        return []
    return [
        checks.Warning(
            "AUDIT_KEY is not set: the audit chain's HMAC key is derived from SECRET_KEY.",
            hint="Set AUDIT_KEY to a long random value kept outside the database, before the first migrate.",
            id="liaison.W101",
        )
    ]


def chain_of(target: models.Model) -> str:
    """The chain an event about this object joins: its mechanism's, else the system chain."""
    if isinstance(target, Mechanism):
        return f"mechanism:{target.pk}"
    mechanism_id = getattr(target, "mechanism_id", None)
    return f"mechanism:{mechanism_id}" if mechanism_id else SYSTEM_CHAIN


def _locked_head(key: str) -> AuditChain:
    """The chain's head row, locked until commit; a new chain starts from the legacy head."""
    head = AuditChain.objects.select_for_update().filter(pk=key).first()
    if head is None:
        legacy = AuditChain.objects.filter(pk=LEGACY_CHAIN).first()
        anchor = legacy.last_hash if legacy else GENESIS_HASH
        # Two first writers of a chain may race here: the conflict leaves one row, which both lock.
        AuditChain.objects.bulk_create(
            [AuditChain(key=key, anchor_hash=anchor, last_hash=anchor)], ignore_conflicts=True
        )
        head = AuditChain.objects.select_for_update().get(pk=key)
    return head


# Words for the codes stored in events, so timelines read as sentences. Each app registers its
# own under its app label (two apps may both have an "assign"); the core's are the fallback.
_ACTION_LABELS: dict[tuple[str | None, str], object] = {}
_STATE_LABELS: dict[tuple[str | None, str], object] = {}


def register_labels(
    *, app: str | None = None, actions: dict[str, object] | None = None, states: dict[str, object] | None = None
) -> None:
    _ACTION_LABELS.update({(app, code): label for code, label in (actions or {}).items()})
    _STATE_LABELS.update({(app, code): label for code, label in (states or {}).items()})


def action_label(code: str, app: str | None = None) -> str:
    return str(_ACTION_LABELS.get((app, code)) or _ACTION_LABELS.get((None, code)) or code)


def state_label(code: str, app: str | None = None) -> str:
    return str(_STATE_LABELS.get((app, code)) or _STATE_LABELS.get((None, code)) or code)


def event_app(event: AuditEvent) -> str | None:
    # Through the content type cache: a timeline names every event's action (no query per event).
    return ContentType.objects.get_for_id(event.content_type_id).app_label if isinstance(event, AuditEvent) else None


def record(
    *,
    actor: User | None,
    target: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    summary: str = "",
    held: tuple | None = None,
) -> AuditEvent:
    """Append one event to its chain: who, which object, old → new state, a short summary.

    The chain's head stays locked until the caller's transaction commits: do slow work (storing
    files) before calling this, and call it as late as the change allows. Inside the caller's
    transaction it sets no savepoint of its own: a failed append fails the change it records.
    `held`: the row of `held_head_query` for the target's chain, read by the caller in this
    transaction (its head is then locked already).
    """
    key = audit_key()
    organization = getattr(actor, "organization", None) if actor else None
    # Everything but the chain's place is made before the head is locked.
    event = AuditEvent(
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
        chain=chain_of(target),
    )
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            _append(connection, event, key, held)
            return event
        head = _locked_head(event.chain)
        event.created_at, event.prev_hash = timezone.now(), head.last_hash
        event.hash = event.compute_hash(key)
        event.save(force_insert=True)
        head.last_event_id, head.last_hash, head.length = event.pk, event.hash, head.length + 1
        head.last_at = event.created_at
        head.seal = head.compute_seal(key)
        head.save(update_fields=["last_event_id", "last_hash", "length", "last_at", "seal"])
    return event


# PostgreSQL: the head is locked and the event's id drawn in one statement (the id after the lock,
# so ids follow the chain's order as when the insert drew them), the event inserted and the head
# sealed in another: two round trips while the head is held instead of three, or one when the
# caller locked the head in its own statement (`held_head_query`).
_HEAD_COLUMNS = ("key", "anchor_hash", "last_event_id", "last_hash", "length", "closed")
_sql: dict[str, str] = {}


def _head_sql(connection: BaseDatabaseWrapper, after: str = "") -> str:
    if after not in _sql:
        quote = connection.ops.quote_name
        chains, events = quote(AuditChain._meta.db_table), quote(AuditEvent._meta.db_table)
        columns = ", ".join(
            quote(cast(str, cast(models.Field, AuditChain._meta.get_field(n)).column)) for n in _HEAD_COLUMNS
        )
        condition = f" AND {after} IS NOT NULL" if after else ""
        _sql[after] = (
            f"SELECT h.*, nextval(pg_get_serial_sequence('{events}', 'id')) "
            f"FROM (SELECT {columns} FROM {chains} WHERE {quote('key')} = %s{condition} FOR UPDATE) h"
        )
    return _sql[after]


def _append_sql(connection: BaseDatabaseWrapper) -> str:
    if "append" not in _sql:
        quote = connection.ops.quote_name
        chains, events = quote(AuditChain._meta.db_table), quote(AuditEvent._meta.db_table)
        fields = AuditEvent._meta.concrete_fields
        _sql["append"] = (
            f"WITH e AS (INSERT INTO {events} ({', '.join(quote(cast(str, f.column)) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})) "
            f"UPDATE {chains} SET last_event_id = %s, last_hash = %s, length = %s, last_at = %s, seal = %s "
            f"WHERE {quote('key')} = %s"
        )
    return _sql["append"]


def held_head_query(target: models.Model, *, after: str) -> tuple[str, list] | None:
    """On PostgreSQL, the SQL and parameters of one row that locks the head of the target's chain
    and draws the id of its next event, for a caller to read in the same statement as its own write
    and hand to `record(held=…)`; `after` is an expression of that statement the lock waits for
    (the lock is taken once it is known: after the caller's own locks). None elsewhere."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return None
    return _head_sql(connection, after), [chain_of(target)]


def _append(connection: BaseDatabaseWrapper, event: AuditEvent, key: bytes, held: tuple | None) -> None:
    with connection.cursor() as cursor:
        row = held
        if row is None:
            cursor.execute(_head_sql(connection), [event.chain])
            row = cursor.fetchone()
        if row is None:
            _locked_head(event.chain)  # a new chain: its head row, made and locked
            cursor.execute(_head_sql(connection), [event.chain])
            row = cursor.fetchone()
        head = AuditChain(**dict(zip(_HEAD_COLUMNS, row[:-1], strict=True)))
        if head.key != event.chain:
            raise ValueError(f"the head held is that of {head.key}, not of {event.chain}")
        event.id, event.created_at, event.prev_hash = row[-1], timezone.now(), head.last_hash
        event.hash = event.compute_hash(key)
        head.last_event_id, head.last_hash, head.length = event.pk, event.hash, head.length + 1
        head.last_at = event.created_at
        head.seal = head.compute_seal(key)
        values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in AuditEvent._meta.concrete_fields]
        last_at = connection.ops.adapt_datetimefield_value(head.last_at)
        cursor.execute(
            _append_sql(connection),
            [*values, head.last_event_id, head.last_hash, head.length, last_at, head.seal, head.key],
        )
    event._state.adding, event._state.db = False, connection.alias


def field_labels(model: type[models.Model], names: Iterable[str]) -> dict[str, str]:
    """The verbose name of each of the model's own fields, to label the changes of an edit."""
    return {name: str(cast(models.Field, model._meta.get_field(name)).verbose_name) for name in names}


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
    chains: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    """What walking one chain found: its length and last event."""

    length: int = 0
    last_id: int = 0
    last_hash: str = ""


def verify_chain(batch_size: int = 2000, checkpoint: dict | None = None) -> ChainReport:
    """Walk every chain in id order; report every edited, inserted or missing event.

    With a checkpoint (see `write_checkpoint`), also report a chain that is shorter than it was,
    or whose checkpointed head is no longer in it: events deleted from the end, or all of them.
    """
    key = audit_key()
    problems: list[str] = []
    checked = 0
    chains = {chain.key: chain for chain in AuditChain.objects.all()}
    legacy = chains.get(LEGACY_CHAIN)
    anchor = legacy.last_hash if legacy else GENESIS_HASH
    wanted_heads = {entry["chain"]: entry for entry in (checkpoint or {}).get("chains", [])}
    for name in sorted(set(AuditEvent.objects.values_list("chain", flat=True).distinct()) - set(chains)):
        problems.append(f"审计链 {name}：有记录但缺少链头")
    for chain in sorted(chains.values(), key=lambda c: c.key):
        if not hmac.compare_digest(chain.compute_seal(key), chain.seal):
            problems.append(f"审计链 {chain.key}：链头签名不符（链头被改写）")
        if chain.key != LEGACY_CHAIN and chain.anchor_hash != anchor:
            problems.append(f"审计链 {chain.key}：起点与旧链链尾不符")
        walk = _walk_checking(chain, key, problems, batch_size, wanted_heads.get(chain.key))
        checked += walk.length
        if chain.length != walk.length or chain.last_event_id != walk.last_id or chain.last_hash != walk.last_hash:
            problems.append(
                f"审计链 {chain.key} 链尾不符：应有 {chain.length} 条、末条 {chain.last_event_id}，"
                f"实有 {walk.length} 条、末条 {walk.last_id}"
            )
    for name, entry in wanted_heads.items():
        if name not in chains and entry["length"]:
            problems.append(f"审计链 {name}：检查点记有 {entry['length']} 条，现已整条缺失")
    return ChainReport(checked, problems, len(chains))


def _walk_checking(chain: AuditChain, key: bytes, problems: list[str], batch_size: int, wanted: dict | None) -> _Walk:
    """Walk one chain; with a checkpointed head, check that head is still at its place in it."""
    walk = _Walk(last_hash=chain.anchor_hash)
    found = wanted is None or not wanted["length"]
    events = AuditEvent.objects.filter(chain=chain.key).order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        walk.length += 1
        if event.prev_hash != walk.last_hash:
            problems.append(f"事件 {event.pk}：与前一条记录不衔接（其前的记录被删除或修改）")
        if not hmac.compare_digest(event.compute_hash(key), event.hash):
            problems.append(f"事件 {event.pk}：内容与哈希不符（记录被修改）")
        walk.last_hash, walk.last_id = event.hash, event.pk
        if wanted is not None and event.pk == wanted["last_event_id"]:
            found = walk.length == wanted["length"] and event.hash == wanted["last_hash"]
    if not found and wanted is not None:  # not found implies a checkpointed head
        problems.append(
            f"审计链 {chain.key}：检查点（{wanted['length']} 条、末条 {wanted['last_event_id']}）"
            f"之后记录被删除或改写，现有 {walk.length} 条"
        )
    return walk


# --- signed checkpoints of the chain heads -------------------------------------------------


def _sign(payload: dict) -> str:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(audit_key(), b"checkpoint:" + body, hashlib.sha256).hexdigest()


def checkpoint() -> dict:
    """Every chain's head (last event id, hash, length, time), signed with the audit key."""
    payload = {
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "chains": [
            {
                "chain": c.key,
                "last_event_id": c.last_event_id,
                "last_hash": c.last_hash,
                "length": c.length,
                "last_at": c.last_at.isoformat() if c.last_at else None,
            }
            for c in AuditChain.objects.order_by("key")
        ],
    }
    return {**payload, "signature": _sign(payload)}


def write_checkpoint(path: Path | None = None) -> Path:
    """Write a signed checkpoint to `path`: a file, or a folder (default AUDIT_CHECKPOINT_DIR)
    to put a dated file in."""
    if path is None:
        path = Path(settings.AUDIT_CHECKPOINT_DIR)
        path.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        path = path / f"audit-checkpoint-{timezone.now():%Y%m%d-%H%M%S}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(checkpoint(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


class CheckpointInvalid(ValueError):
    """The checkpoint file is unreadable or its signature does not match the audit key."""


def read_checkpoint(path: Path) -> dict:
    """The checkpoint in `path`, refused when its signature does not verify."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        payload = {k: v for k, v in data.items() if k != "signature"}
        valid = hmac.compare_digest(_sign(payload), str(data.get("signature", "")))
    except (OSError, ValueError, AttributeError) as error:
        raise CheckpointInvalid(f"检查点文件无法读取：{error}") from error
    if not valid:
        raise CheckpointInvalid("检查点文件签名不符（文件被改写，或审计密钥不同）")
    return data
