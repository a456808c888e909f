"""The outbox and its channels: SMS backends (file, Aliyun), work-group robots, retries, races."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from liaison.channels import outbox, robots
from liaison.channels.sms import aliyun_signature, pop_quote
from liaison.models import Channel, OutboxMessage, OutboxState, RobotChannel
from liaison.tasks import send_outbox
from tests.concurrency import run_together
from tests.fake_servers import FakeServer


def sms_row(phone: str = "13800000000", kind: str = "overdue", **params) -> OutboxMessage:
    return OutboxMessage(
        kind=kind, channel=Channel.SMS, recipient=phone, payload={"params": {"title": "移送登记", **params}}
    )


@pytest.fixture
def sms_files(settings, tmp_path) -> Path:
    settings.SMS_BACKEND = "liaison.channels.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


@pytest.fixture
def aliyun(settings):
    """Aliyun backend pointed at a local fake gateway that checks the signature as Aliyun does."""
    secret = "local-test-secret"

    def respond(request):
        params = dict(request.query)
        signature = params.pop("Signature", "")
        if signature != aliyun_signature(params, secret):
            return 200, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        if gateway.down:
            return 503, {"Code": "ServiceUnavailable"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"}

    with FakeServer(respond) as gateway:
        gateway.down = False
        settings.SMS_BACKEND = "liaison.channels.sms.AliyunBackend"
        settings.SMS_ALIYUN_ENDPOINT = gateway.url
        settings.SMS_ACCESS_KEY_ID = "LTAI-local"
        settings.SMS_ACCESS_KEY_SECRET = secret
        settings.SMS_SIGN_NAME = "联络平台"
        settings.SMS_TEMPLATE_CODES = {"overdue": "SMS_100001", "due_soon": "SMS_100002"}
        yield gateway


def test_it_signs_the_aliyun_documented_example():
    """The request of Aliyun's signature documentation (短信服务 SendSms, AccessKeyId testId,
    secret testSecret, nonce 45e25e9b-…, 2017-07-12T02:42:19Z) and its documented signature."""
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert pop_quote(aliyun_signature(params, "testSecret")) == "zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D"


def test_it_encodes_like_aliyun_pop():
    assert pop_quote("a b*c~d/") == "a%20b%2Ac~d%2F"


def test_it_writes_one_file_per_sms(db, sms_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue([sms_row("13800000001"), sms_row("13800000002")])
    files = sorted(sms_files.glob("*.txt"))
    assert len(files) == 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert any("To: 13800000001" in t for t in texts)
    assert all("已逾期：移送登记" in t for t in texts)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxState.SENT}


def test_it_sends_through_the_aliyun_gateway_with_a_valid_signature(db, aliyun):
    outbox.enqueue([sms_row("13800000003")])
    assert outbox.send_due() == 1
    (request,) = aliyun.requests
    assert request.query["PhoneNumbers"] == "13800000003"
    assert request.query["TemplateCode"] == "SMS_100001"
    assert "移送登记" in request.query["TemplateParam"]
    row = OutboxMessage.objects.get()
    assert row.status == OutboxState.SENT and row.attempts == 1 and "BizId" in row.result


def test_it_fails_at_once_without_a_template_code(db, aliyun):
    outbox.enqueue([sms_row(kind="meeting")])
    outbox.send_due()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxState.FAILED
    assert "template code" in row.result
    assert aliyun.requests == []


def test_it_retries_with_exponential_backoff_then_fails_with_the_last_error(db, aliyun, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_BACKOFF_SECONDS = 30
    aliyun.down = True
    outbox.enqueue([sms_row()])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        outbox.send_due()
        row = OutboxMessage.objects.get()
        assert (row.status, row.attempts, row.status_code) == (OutboxState.PENDING, 1, 503)
        assert row.next_attempt_at == start + dt.timedelta(seconds=30)
        assert outbox.send_due() == 0  # not due yet
        assert len(aliyun.requests) == 1
        clock.shift(30)
        outbox.send_due()
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at == timezone.now() + dt.timedelta(seconds=60)
        clock.shift(60)
        outbox.send_due()
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxState.FAILED, 3)
        assert "503" in row.result


def test_it_loses_nothing_when_the_provider_is_down_then_up(db, aliyun):
    aliyun.down = True
    outbox.enqueue([sms_row("13800000011"), sms_row("13800000012")])
    outbox.send_due()
    assert OutboxMessage.objects.filter(status=OutboxState.PENDING).count() == 2
    aliyun.down = False
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert send_outbox() == 2  # the periodic task
    assert OutboxMessage.objects.filter(status=OutboxState.SENT).count() == 2


def test_it_sends_a_row_whose_queued_task_was_lost(db, sms_files, django_capture_on_commit_callbacks):
    """Redis down at commit: the queued task never runs; beat's periodic run sends the row."""
    with django_capture_on_commit_callbacks(execute=False):
        outbox.enqueue([sms_row()])
    assert OutboxMessage.objects.get().status == OutboxState.PENDING
    assert send_outbox() == 1
    assert len(list(sms_files.glob("*.txt"))) == 1


def test_it_reclaims_a_row_left_sending_by_a_dead_worker(db, sms_files, settings):
    outbox.enqueue([sms_row()])
    outbox.claim(10)
    assert OutboxMessage.objects.get().status == OutboxState.SENDING
    assert outbox.send_due() == 0  # still within the timeout: another worker may be sending it
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS + 1)):
        assert outbox.send_due() == 1


def test_it_posts_markdown_to_a_wecom_robot(db, world):
    with FakeServer(lambda r: (200, {"errcode": 0, "errmsg": "ok"})) as robot_server:
        robot = RobotChannel.objects.create(
            mechanism=world.mechanism,
            name="机制工作群",
            channel=Channel.WECOM,
            webhook_url=f"{robot_server.url}/send?key=k",
        )
        outbox.enqueue(
            [
                OutboxMessage(
                    kind="complaint.transferred",
                    channel=Channel.WECOM,
                    recipient=robot.name,
                    payload={"robot": robot.pk, "title": "诉求已移送", "text": "**甲市** 诉求 3 件"},
                )
            ]
        )
        assert outbox.send_due() == 1
    body = robot_server.requests[0].json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"].startswith("### 诉求已移送")


def test_it_signs_the_dingtalk_timestamp(db, world):
    secret = "SEC-local-robot-secret"

    def respond(request):
        timestamp = request.query.get("timestamp", "")
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        if request.query.get("sign") != expected:
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    with FakeServer(respond) as robot_server:
        robot = RobotChannel.objects.create(
            mechanism=world.mechanism,
            name="钉钉群",
            channel=Channel.DINGTALK,
            webhook_url=f"{robot_server.url}/robot/send?access_token=t",
            secret=secret,
        )
        wrong = RobotChannel.objects.create(
            mechanism=world.mechanism,
            name="钉钉群（密钥错）",
            channel=Channel.DINGTALK,
            webhook_url=f"{robot_server.url}/robot/send?access_token=t",
            secret="not-the-secret",
        )
        outbox.enqueue(
            [
                OutboxMessage(
                    kind="minutes.issued",
                    channel=Channel.DINGTALK,
                    recipient=r.name,
                    payload={"robot": r.pk, "title": "纪要已印发", "text": "第 3 期"},
                )
                for r in (robot, wrong)
            ]
        )
        outbox.send_due()
    assert robot_server.requests[0].json()["markdown"]["title"] == "纪要已印发"
    states = dict(OutboxMessage.objects.values_list("payload__robot", "status"))
    assert states == {robot.pk: OutboxState.SENT, wrong.pk: OutboxState.FAILED}
    assert "310000" in OutboxMessage.objects.get(payload__robot=wrong.pk).result


def test_it_urlencodes_the_dingtalk_sign():
    url = robots.dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=x", "SECabc", 1577262236757)
    sign = url.rsplit("sign=", 1)[1]
    assert "+" not in sign and "/" not in sign and "=" not in sign
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1577262236757&sign=")


@pytest.mark.postgres
def test_it_sends_each_message_once_when_two_workers_race(postgres, settings):
    """Two workers sweep the same 120 due rows at once: every message reaches the gateway exactly once."""
    with FakeServer(lambda r: (200, {"errcode": 0})) as gateway:
        robot = RobotChannel.objects.create(
            mechanism=_mechanism(), name="群", channel=Channel.WECOM, webhook_url=f"{gateway.url}/send"
        )
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    kind="work",
                    channel=Channel.WECOM,
                    recipient="群",
                    payload={"robot": robot.pk, "title": f"消息{i}", "text": str(i)},
                    next_attempt_at=timezone.now(),
                )
                for i in range(120)
            ]
        )
        results = run_together(lambda: outbox.send_due(batch_size=10), lambda: outbox.send_due(batch_size=10))
        assert all(isinstance(r, int) for r in results), results
        titles = [r.json()["markdown"]["content"] for r in gateway.requests]
    assert sum(results) == 120
    assert len(titles) == 120 and len(set(titles)) == 120
    assert min(results) > 0  # both took work: SKIP LOCKED, not one waiting for the other
    assert OutboxMessage.objects.filter(status=OutboxState.SENT, attempts=1).count() == 120


def _mechanism():
    from tests.factories import OrganizationFactory, mechanism_between

    return mechanism_between(OrganizationFactory(kind="court"), OrganizationFactory(kind="federation"))
