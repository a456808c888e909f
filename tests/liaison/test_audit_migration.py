"""The migration that splits the audit chain keeps the events written before it verifiable."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from liaison import audit
from liaison.models import AuditChain, AuditEvent

BEFORE = [("liaison", "0005_deadline_met_by_kind")]


def migrate(targets) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_old_single_chain_becomes_the_closed_legacy_chain_and_new_chains_start_from_it(world):
    old = migrate(BEFORE)
    Event, Head = old.get_model("liaison", "AuditEvent"), old.get_model("liaison", "AuditChainHead")
    content_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="liaison", model="mechanism")
    prev = "0" * 64
    for action in ("create", "edit"):
        # The hash as the code before the split computed it: plain SHA-256 of the canonical form.
        event = AuditEvent(
            created_at=timezone.now(),
            actor_name="旧",
            content_type_id=content_type.pk,
            object_id=str(world.mechanism.pk),
            object_repr="机制",
            action=action,
            chain="legacy",
            prev_hash=prev,
        )
        event.hash = hashlib.sha256(event.canonical()).hexdigest()
        row = Event.objects.create(
            **{f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields if f.attname != "id"}
        )
        prev = event.hash
    Head.objects.create(pk=1, last_event_id=row.pk, last_hash=prev, length=2)

    # Forward to every app's leaf: later apps' migrations that depend on liaison were undone with it.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    legacy = AuditChain.objects.get(pk="legacy")
    assert (legacy.closed, legacy.length, legacy.last_hash) == (True, 2, prev)
    assert set(AuditEvent.objects.values_list("chain", flat=True)) == {"legacy"}
    report = audit.verify_chain()
    assert report.ok and report.checked == 2, report.problems

    event = audit.record(actor=world.alice, target=world.mechanism, action="after")
    assert event.prev_hash == prev
    assert audit.verify_chain().ok
