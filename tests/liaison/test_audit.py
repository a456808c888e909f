"""The hash-chained audit log: appends, tamper detection, the verify command."""

import contextlib
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from liaison import audit
from liaison.models import AuditChain, AuditEvent
from liaison.models.audit import AuditLogIsAppendOnly

from ..conftest import login


@contextlib.contextmanager
def privileged():
    """Act as an attacker who owns the database: PostgreSQL's append-only trigger switched off
    (until the test's transaction is rolled back)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # user triggers off
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")


def delete_events(*pks: int) -> None:
    with privileged(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id IN ({','.join(map(str, pks))})")


def three_events(world):
    for action in ("a", "b", "c"):
        audit.record(actor=world.alice, target=world.mechanism, action=action, summary=f"事件{action}")
    return list(AuditEvent.objects.order_by("id"))


def test_it_chains_events_and_verifies_a_clean_chain(world):
    events = three_events(world)
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_organization_name == "甲市工商业联合会"
    report = audit.verify_chain()
    assert report.ok and report.checked == 3


def test_it_refuses_to_change_or_delete_an_event_through_the_orm(world):
    event = three_events(world)[0]
    event.summary = "改过"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_it_detects_an_edited_row(world):
    event = three_events(world)[1]
    with privileged():
        AuditEvent.objects.filter(pk=event.pk).update(summary="被篡改")
    report = audit.verify_chain()
    assert not report.ok
    assert any(str(event.pk) in problem for problem in report.problems)


def test_it_detects_a_deleted_row_in_the_middle_and_at_the_end(world):
    events = three_events(world)
    delete_events(events[1].pk)
    assert not audit.verify_chain().ok


def test_it_detects_a_truncated_tail(world):
    events = three_events(world)
    delete_events(events[2].pk)
    assert not audit.verify_chain().ok


def test_the_command_exits_non_zero_on_a_broken_chain(world, capsys):
    three_events(world)
    call_command("verify_audit_chain")
    assert "3" in capsys.readouterr().out
    with privileged():
        AuditEvent.objects.filter(pk=AuditEvent.objects.first().pk).update(actor_name="别人")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_chain")
    assert exit_info.value.code == 1


def test_it_records_the_client_ip_of_the_request(world, client):
    from liaison import deadlines

    login(client, world.bob)
    client.post("/notifications/read/", REMOTE_ADDR="10.1.2.3")
    # A state change made inside a request carries the request's address.
    from liaison.context import RequestContext, bind, reset

    token = bind(RequestContext(ip_address="10.1.2.3"))
    try:
        deadline = deadlines.deadline_start(
            target=world.mechanism,
            kind="t",
            label="x",
            mechanism=world.mechanism,
            owner_organization=world.court,
            start=__import__("datetime").date(2026, 11, 2),
            working_days=1,
            actor=world.bob,
        )
    finally:
        reset(token)
    assert audit.history(deadline).get().ip_address == "10.1.2.3"


def test_it_shows_the_timeline_on_the_mechanism_page(world, client):
    audit.record(actor=world.bob, target=world.mechanism, action="edit", summary="更新联络员")
    response = login(client, world.alice).get(f"/mechanisms/{world.mechanism.pk}/")
    assert "更新联络员" in response.content.decode()


# --- one chain per mechanism ---------------------------------------------------------------


def test_it_keeps_one_chain_per_mechanism_each_starting_from_the_legacy_head(world):
    audit.record(actor=world.alice, target=world.mechanism, action="a")
    audit.record(actor=world.charlie, target=world.other_mechanism, action="b")
    audit.record(actor=world.alice, target=world.mechanism, action="c")
    audit.record(actor=None, target=world.court, action="d")  # an organization: no mechanism
    chains = {c.key: c for c in AuditChain.objects.all()}
    assert set(chains) == {
        "legacy",
        f"mechanism:{world.mechanism.pk}",
        f"mechanism:{world.other_mechanism.pk}",
        "system",
    }
    assert chains[f"mechanism:{world.mechanism.pk}"].length == 2
    first, third = AuditEvent.objects.filter(chain=f"mechanism:{world.mechanism.pk}").order_by("id")
    assert third.prev_hash == first.hash
    assert first.prev_hash == chains["legacy"].last_hash
    report = audit.verify_chain()
    assert report.ok, report.problems
    assert (report.checked, report.chains) == (4, 4)


def test_it_files_an_object_under_its_mechanism(world):
    from liaison import deadlines

    deadline = deadlines.deadline_start(
        target=world.mechanism,
        kind="t",
        label="x",
        mechanism=world.other_mechanism,
        owner_organization=world.other_court,
        start=dt.date(2026, 11, 2),
        working_days=1,
        actor=world.charlie,
    )
    assert audit.history(deadline).get().chain == f"mechanism:{world.other_mechanism.pk}"


def test_it_verifies_events_of_the_legacy_chain_and_detects_them_rewritten(world):
    """Events written before the split keep their plain SHA-256 chain, closed and sealed; an
    attacker who edits one and recomputes the legacy chain forward breaks the seal and the anchor."""
    legacy = AuditChain.objects.get(pk="legacy")
    prev = legacy.last_hash
    for action in ("old1", "old2"):
        event = AuditEvent(
            created_at=timezone.now(),
            actor_name="旧",
            content_type=ContentType.objects.get_for_model(world.mechanism),
            object_id=str(world.mechanism.pk),
            object_repr="机制",
            action=action,
            chain="legacy",
            prev_hash=prev,
        )
        event.hash = hashlib.sha256(event.canonical()).hexdigest()
        event.save()
        prev = event.hash
    legacy.last_event_id, legacy.last_hash, legacy.length = event.pk, event.hash, 2
    legacy.seal = legacy.compute_seal(audit.audit_key())
    legacy.save()
    audit.record(actor=world.alice, target=world.mechanism, action="new")
    assert audit.verify_chain().ok

    old1 = AuditEvent.objects.filter(chain="legacy").order_by("id").first()
    with privileged():
        old1.summary = "改写"
        AuditEvent.objects.filter(pk=old1.pk).update(summary="改写", hash=hashlib.sha256(old1.canonical()).hexdigest())
        old1.hash = hashlib.sha256(old1.canonical()).hexdigest()
        old2 = AuditEvent.objects.filter(chain="legacy").order_by("id").last()
        old2.prev_hash = old1.hash
        new_hash = hashlib.sha256(old2.canonical()).hexdigest()
        AuditEvent.objects.filter(pk=old2.pk).update(prev_hash=old1.hash, hash=new_hash)
    AuditChain.objects.filter(pk="legacy").update(last_hash=new_hash)
    problems = audit.verify_chain().problems
    assert any("链头签名不符" in p for p in problems)
    assert any("起点与旧链链尾不符" in p for p in problems)


# --- tampering by someone who owns the database -----------------------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_to_update_or_delete_an_event(world):
    event = three_events(world)[0]
    for statement in (
        f"UPDATE {AuditEvent._meta.db_table} SET summary = 'x' WHERE id = %s",
        f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


def test_it_detects_an_edit_recomputed_forward_without_the_key(world):
    """The attacker rewrites an event and recomputes every later hash and the head; without
    the audit key the HMACs and the head's seal cannot be made to match."""
    events = three_events(world)
    guessed_key = b"insecure-development-key-only-for-the-embedded-demo"
    with privileged():
        prev = events[0].prev_hash
        for event in events:
            if event.pk == events[1].pk:
                event.summary = "被篡改"
            event.prev_hash = prev
            event.hash = event.compute_hash(guessed_key)
            AuditEvent.objects.filter(pk=event.pk).update(
                summary=event.summary, prev_hash=event.prev_hash, hash=event.hash
            )
            prev = event.hash
    head = AuditChain.objects.get(pk=events[0].chain)
    head.last_hash = prev
    head.seal = head.compute_seal(guessed_key)
    head.save()
    report = audit.verify_chain()
    assert sum("内容与哈希不符" in p for p in report.problems) == 3
    assert any("链头签名不符" in p for p in report.problems)


def test_a_checkpoint_detects_events_cut_from_the_end_with_the_head_rolled_back(world, tmp_path):
    """The attacker restores the head row as it was two events ago (say from an old dump, seal
    and all): the chain alone verifies, the checkpoint taken since does not."""
    audit.record(actor=world.alice, target=world.mechanism, action="a")
    key = f"mechanism:{world.mechanism.pk}"
    old_head = {f.attname: getattr(AuditChain.objects.get(pk=key), f.attname) for f in AuditChain._meta.fields}
    later = [audit.record(actor=world.alice, target=world.mechanism, action=a).pk for a in ("b", "c")]
    call_command("audit_checkpoint", output=tmp_path / "cp.json")
    delete_events(*later)
    AuditChain.objects.filter(pk=key).update(**{k: v for k, v in old_head.items() if k != "key"})
    assert audit.verify_chain().ok
    with pytest.raises(SystemExit):
        call_command("verify_audit_chain", checkpoint=tmp_path / "cp.json")


def test_a_checkpoint_detects_a_wiped_log(world, tmp_path, capsys):
    three_events(world)
    call_command("audit_checkpoint", output=tmp_path / "cp.json")
    call_command("verify_audit_chain", checkpoint=tmp_path / "cp.json")
    assert "共校验 3 条" in capsys.readouterr().out
    delete_events(*AuditEvent.objects.values_list("pk", flat=True))
    AuditChain.objects.all().delete()
    call_command("verify_audit_chain")  # nothing left to contradict: 0 events verify
    assert "共校验 0 条" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_chain", checkpoint=tmp_path / "cp.json")
    assert exit_info.value.code == 1
    assert "整条缺失" in capsys.readouterr().err


def test_a_checkpoint_still_verifies_after_more_events(world, tmp_path, capsys):
    three_events(world)
    path = audit.write_checkpoint(tmp_path)
    assert path.parent == tmp_path and path.name.startswith("audit-checkpoint-")
    audit.record(actor=world.bob, target=world.mechanism, action="later")
    audit.record(actor=world.bob, target=world.other_mechanism, action="elsewhere")
    call_command("verify_audit_chain", checkpoint=path)
    assert "共校验 5 条" in capsys.readouterr().out


def test_a_forged_checkpoint_is_refused(world, tmp_path, capsys):
    three_events(world)
    path = tmp_path / "cp.json"
    call_command("audit_checkpoint", output=path)
    path.write_text(path.read_text(encoding="utf-8").replace('"length": 3', '"length": 1'), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("verify_audit_chain", checkpoint=path)
    assert "签名不符" in capsys.readouterr().err


def test_the_daily_task_writes_a_checkpoint_into_the_folder(world, settings, tmp_path):
    from liaison.tasks import write_audit_checkpoint

    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    three_events(world)
    path = write_audit_checkpoint.delay().get()
    data = audit.read_checkpoint(Path(path))
    assert {c["chain"]: c["length"] for c in data["chains"]}[f"mechanism:{world.mechanism.pk}"] == 3


def test_the_key_comes_from_the_environment_and_changes_every_hash(world, settings):
    settings.AUDIT_KEY = "k1"
    legacy = AuditChain.objects.get(pk="legacy")  # sealed by the migration, as run with this key
    AuditChain.objects.filter(pk="legacy").update(seal=legacy.compute_seal(b"k1"))
    audit.record(actor=world.alice, target=world.mechanism, action="a")
    assert audit.verify_chain().ok
    settings.AUDIT_KEY = "k2"
    assert not audit.verify_chain().ok


def test_writers_in_different_mechanisms_do_not_wait_on_each_other(postgres, world):
    """While one transaction holds its mechanism's chain, another mechanism's append goes
    through at once and the same mechanism's waits."""
    import threading

    from django.db import OperationalError, connections

    holding, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                audit.record(actor=world.alice, target=world.mechanism, action="held")
                holding.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(timeout=20)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            audit.record(actor=world.charlie, target=world.other_mechanism, action="elsewhere")
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '500ms'")
            audit.record(actor=world.bob, target=world.mechanism, action="same mechanism")
    finally:
        release.set()
        thread.join()
    assert audit.verify_chain().ok
