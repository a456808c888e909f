"""The hash-chained audit log: appends, tamper detection, the verify command."""
import pytest
from django.core.management import call_command
from django.db import connection

from liaison import audit
from liaison.models import AuditEvent
from liaison.models.audit import AuditLogIsAppendOnly

from ..conftest import login


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
    AuditEvent.objects.filter(pk=event.pk).update(summary="被篡改")
    report = audit.verify_chain()
    assert not report.ok
    assert any(str(event.pk) in problem for problem in report.problems)


def test_it_detects_a_deleted_row_in_the_middle_and_at_the_end(world):
    events = three_events(world)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])
    assert not audit.verify_chain().ok


def test_it_detects_a_truncated_tail(world):
    events = three_events(world)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[2].pk])
    assert not audit.verify_chain().ok


def test_the_command_exits_non_zero_on_a_broken_chain(world, capsys):
    three_events(world)
    call_command("verify_audit_chain")
    assert "3" in capsys.readouterr().out
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
            target=world.mechanism, kind="t", label="x", mechanism=world.mechanism,
            owner_organization=world.court, start=__import__("datetime").date(2026, 11, 2), working_days=1,
            actor=world.bob,
        )
    finally:
        reset(token)
    assert audit.history(deadline).get().ip_address == "10.1.2.3"


def test_it_shows_the_timeline_on_the_mechanism_page(world, client):
    audit.record(actor=world.bob, target=world.mechanism, action="edit", summary="更新联络员")
    response = login(client, world.alice).get(f"/mechanisms/{world.mechanism.pk}/")
    assert "更新联络员" in response.content.decode()
