"""The demo's webhook receiver (manage.py run_webhook_receiver) checks signatures and records pushes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.utils import timezone

from liaison.channels import outbox
from liaison.demo.loader import DEMO_WEBHOOK_SECRET
from liaison.models import Channel, ExternalSystem, OutboxMessage, OutboxState
from tests.fake_servers import free_port


def _start(port: int, out) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_webhook_receiver", "--port", str(port), "--out", str(out)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=0.2)  # noqa: S310
        except urllib.error.HTTPError:
            return process  # it answers (501 to GET): up
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.stdout.read().decode() if process.stdout else "receiver did not start")


def test_the_demo_receiver_records_signed_pushes_once(world, tmp_path):
    port = free_port()
    out = tmp_path / "received.jsonl"
    receiver = _start(port, out)
    try:
        good = ExternalSystem.objects.create(
            name="网上工商联",
            organization=world.federation,
            webhook_url=f"http://127.0.0.1:{port}/hooks",
            secret=DEMO_WEBHOOK_SECRET,
        )
        forged = ExternalSystem.objects.create(
            name="伪造", organization=world.federation, webhook_url=f"http://127.0.0.1:{port}/hooks", secret="wrong"
        )
        rows = [
            OutboxMessage(
                kind="complaint.submitted",
                channel=Channel.WEBHOOK,
                recipient=system.webhook_url,
                payload={"id": f"evt-{index}", "type": "complaint.submitted", "mechanism": {"name": "甲"}},
                event_id=f"evt-{index}",
                system=system,
                next_attempt_at=timezone.now(),
            )
            for index, system in enumerate([good, good, forged])
        ]
        rows[1].payload = rows[0].payload
        rows[1].event_id = "evt-0"  # a redelivery of the same event
        outbox.enqueue(rows)
        outbox.send_due()
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    received = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [event["id"] for event in received] == ["evt-0"]
    assert OutboxMessage.objects.get(system=forged).status_code == 401
    assert OutboxMessage.objects.filter(system=good, status=OutboxState.SENT).count() == 2
