"""Outbound webhooks: complaint transitions reach docked systems, signed, retried, never lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import time_machine
from django.utils import timezone

from liaison.channels import outbox
from liaison.channels.dispatch import SIGNATURE_HEADER, TIMESTAMP_HEADER
from liaison.models import Channel, ExternalSystem, OutboxMessage, OutboxState, RobotChannel
from tests.fake_servers import FakeServer, free_port

SECRET = "whsec-local-test"


def verify(request) -> bool:
    """What a receiver does: recompute HMAC-SHA256 over "timestamp.body" with the shared secret."""
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    expected = (
        "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, request.headers.get(SIGNATURE_HEADER, ""))


class Receiver(FakeServer):
    """Answers 401 to a bad signature, then whatever `plan` says (a list of statuses), then 200."""

    def __init__(self, port: int = 0) -> None:
        self.plan: list[int] = []
        self.seen_ids: list[str] = []
        super().__init__(self._respond, port=port)

    def _respond(self, request):
        if not verify(request):
            return 401, {"error": "bad signature"}
        if self.plan:
            return self.plan.pop(0), {}
        self.seen_ids.append(json.loads(request.body)["id"])
        return 200, {"ok": True}


def register_system(world, url: str, *, organization=None, mechanism=None, events=("complaint.submitted",)):
    system = ExternalSystem.objects.create(
        name="网上工商联",
        organization=organization or world.federation,
        webhook_url=f"{url}/hooks/liaison",
        secret=SECRET,
        event_types=list(events),
    )
    system.mechanisms.add(mechanism or world.mechanism)
    return system


def test_a_transition_reaches_the_system_signed_and_versioned(cast, django_capture_on_commit_callbacks):
    from cases import services

    with Receiver() as receiver:
        register_system(cast.world, receiver.url)
        complaint = cast.file()
        with django_capture_on_commit_callbacks(execute=True):
            services.complaint_submit(actor=cast.staff, complaint=complaint)
        (request,) = receiver.requests
    body = request.json()
    assert verify(request)
    assert request.headers["X-Liaison-Event"] == "complaint.submitted"
    assert body["type"] == "complaint.submitted" and body["version"] == "1"
    assert body["id"] == request.headers["X-Liaison-Event-Id"]
    assert body["data"]["serial"] == complaint.serial and body["data"]["status"] == "submitted"
    assert body["mechanism"]["name"] == cast.world.mechanism.name
    assert "facts" not in body["data"] and "demands" not in body["data"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.status_code, row.attempts) == (OutboxState.SENT, 200, 1)


def test_only_subscribed_systems_of_party_organizations_hear_of_it(cast):
    from cases import services

    world = cast.world
    subscribed = register_system(world, "http://127.0.0.1:9")
    register_system(world, "http://127.0.0.1:9", events=("complaint.closed",))  # another event type
    # Registered for the mechanism by mistake, but its organization is not party to it.
    register_system(world, "http://127.0.0.1:9", organization=world.other_federation)
    register_system(world, "http://127.0.0.1:9", mechanism=world.other_mechanism)
    services.complaint_submit(actor=cast.staff, complaint=cast.file())
    assert list(OutboxMessage.objects.values_list("system", flat=True)) == [subscribed.pk]


def test_it_retries_after_a_500_and_a_timeout_then_delivers_once(cast, settings):
    from cases import services

    settings.CHANNEL_HTTP_TIMEOUT_SECONDS = 0.5
    with Receiver() as receiver:
        register_system(cast.world, receiver.url)
        services.complaint_submit(actor=cast.staff, complaint=cast.file())
        receiver.plan = [500]
        outbox.send_due()
        row = OutboxMessage.objects.get()
        assert (row.status, row.status_code, row.attempts) == (OutboxState.PENDING, 500, 1)
        receiver.delay = 1.5  # slower than the timeout
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
            outbox.send_due()
        row.refresh_from_db()
        assert row.status == OutboxState.PENDING and row.attempts == 2
        assert "timed out" in row.result.lower() or "timeout" in row.result.lower()
        receiver.delay = 0
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
            outbox.send_due()
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxState.SENT, 3)
        event_ids = {json.loads(r.body)["id"] for r in receiver.requests}
    assert event_ids == {row.event_id}  # every attempt carried the same event id: the receiver dedups on it
    assert receiver.seen_ids == [row.event_id]


def test_nothing_is_lost_while_the_receiver_is_down(cast):
    from cases import services

    port = free_port()
    register_system(cast.world, f"http://127.0.0.1:{port}", events=("complaint.submitted", "complaint.transferred"))
    for _ in range(3):
        services.complaint_submit(actor=cast.staff, complaint=cast.file())
    outbox.send_due()  # nobody listens on the port
    assert OutboxMessage.objects.filter(status=OutboxState.PENDING, attempts=1).count() == 3
    assert all(
        "Connection refused" in r or "Errno" in r for r in OutboxMessage.objects.values_list("result", flat=True)
    )
    with Receiver(port=port) as receiver, time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert outbox.send_due() == 3
    assert len(set(receiver.seen_ids)) == 3


def test_it_gives_up_after_the_limit_with_the_last_error(cast, settings):
    from cases import services

    settings.OUTBOX_MAX_ATTEMPTS = 2
    with Receiver() as receiver:
        register_system(cast.world, receiver.url)
        services.complaint_submit(actor=cast.staff, complaint=cast.file())
        receiver.plan = [502, 503]
        outbox.send_due()
        with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
            outbox.send_due()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, row.status_code) == (OutboxState.FAILED, 2, 503)
    assert row.result.startswith("HTTP 503")


def test_a_receiver_refuses_a_forged_signature(cast):
    from cases import services

    with Receiver() as receiver:
        system = register_system(cast.world, receiver.url)
        system.secret = "another-secret"
        system.save()
        services.complaint_submit(actor=cast.staff, complaint=cast.file())
        outbox.send_due()
    assert OutboxMessage.objects.get().status_code == 401


def test_the_mechanism_robot_hears_of_transfers(cast):
    with FakeServer(lambda r: (200, {"errcode": 0})) as robot_server:
        RobotChannel.objects.create(
            mechanism=cast.world.mechanism, name="机制群", channel=Channel.WECOM, webhook_url=f"{robot_server.url}/send"
        )
        cast.transferred()
        outbox.send_due()
    (request,) = robot_server.requests  # submitted is not a group event by default; transferred is
    content = request.json()["markdown"]["content"]
    assert "诉求已移送" in content and cast.world.mechanism.name in content


def test_a_transition_without_subscribers_writes_nothing(cast):
    from cases import services

    complaint = cast.file()
    services.complaint_submit(actor=cast.staff, complaint=complaint)
    assert not OutboxMessage.objects.exists()


def test_the_event_id_is_stable_per_occurrence(cast):
    from cases import services

    register_system(cast.world, "http://127.0.0.1:9")
    register_system(cast.world, "http://127.0.0.1:9")
    services.complaint_submit(actor=cast.staff, complaint=cast.file())
    ids = set(OutboxMessage.objects.values_list("event_id", flat=True))
    assert len(ids) == 1  # one event, the same id for every system and every attempt


def test_the_reminder_sweep_tells_the_system_and_robot_of_an_overdue_action_item(world):
    import datetime as dt

    from liaison import deadlines, reminders
    from meetings.models import ActionItem, DualList
    from meetings.services import ITEM_DEADLINE

    dual_list = DualList.objects.create(mechanism=world.mechanism, year=2026, title="双清单", created_by=world.bob)
    item = ActionItem.objects.create(
        mechanism=world.mechanism,
        source="dual_list",
        dual_list=dual_list,
        title="建立涉企案件台账",
        owner_organization=world.court,
        due_date=dt.date(2026, 11, 25),
        status="open",
    )
    deadlines.deadline_start(
        target=item,
        kind=ITEM_DEADLINE,
        label="督办事项：建立涉企案件台账",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=dt.date(2026, 11, 20),
        working_days=3,
        actor=None,
        url="/x/",
    )
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    system = register_system(world, "http://127.0.0.1:9", events=("action_item.overdue", "action_item.due"))
    RobotChannel.objects.create(
        mechanism=world.mechanism, name="群", channel=Channel.WECOM, webhook_url="http://127.0.0.1:9/r"
    )
    reminders.sweep(on=dt.date(2026, 11, 26))  # overdue: officer and leader reminded, one event
    reminders.sweep(on=dt.date(2026, 11, 26))
    rows = OutboxMessage.objects.order_by("channel")
    assert [(r.channel, r.kind) for r in rows] == [
        ("webhook", "action_item.overdue"),
        ("wecom", "action_item.overdue"),
    ]
    assert rows[0].system == system and rows[0].payload["data"]["title"] == "建立涉企案件台账"


def test_robot_messages_link_back_to_the_object_on_both_robots(cast, settings):
    settings.SITE_URL = "https://liaison.example.cn/"
    with FakeServer(lambda r: (200, {"errcode": 0, "errmsg": "ok"})) as robot_server:
        for channel in (Channel.WECOM, Channel.DINGTALK):
            RobotChannel.objects.create(
                mechanism=cast.world.mechanism,
                name=f"机制群-{channel}",
                channel=channel,
                webhook_url=f"{robot_server.url}/{channel}",
                secret="SEC-x" if channel == Channel.DINGTALK else "",
            )
        complaint = cast.transferred()
        outbox.send_due()
    link = f"https://liaison.example.cn/cases/complaints/{complaint.pk}/"
    texts = {
        request.path.split("?")[0].rsplit("/", 1)[-1]: request.json()["markdown"] for request in robot_server.requests
    }
    assert f"[查看详情]({link})" in texts["wecom"]["content"]
    assert f"[查看详情]({link})" in texts["dingtalk"]["text"]


def test_emitting_in_a_mechanism_nobody_listens_in_costs_one_query(cast, django_assert_num_queries):
    from liaison.channels import events

    complaint = cast.file()
    # A system elsewhere, a disabled robot here, a system of a non-party organization: none listens.
    register_system(cast.world, "http://127.0.0.1:9").mechanisms.set([cast.world.other_mechanism])
    RobotChannel.objects.create(
        mechanism=cast.world.mechanism, name="停用", channel=Channel.WECOM, webhook_url="http://x/", is_active=False
    )
    stray = ExternalSystem.objects.create(
        name="非当事方",
        organization=cast.world.other_federation,
        webhook_url="http://x/",
        event_types=["complaint.submitted"],
    )
    stray.mechanisms.add(cast.world.mechanism)
    with django_assert_num_queries(1):
        assert events.transition_performed("cases", "complaint", "submit", complaint, stamp="q1") == 0
    # With a listener the event is written.
    register_system(cast.world, "http://127.0.0.1:9", events=("complaint.submitted",))
    assert events.transition_performed("cases", "complaint", "submit", complaint, stamp="q2") == 1
    assert OutboxMessage.objects.get().payload["mechanism"]["name"] == cast.world.mechanism.name
