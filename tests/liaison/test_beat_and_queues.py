"""Exactly one beat schedules whatever the number of hosts; tasks go to queues by kind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.beat import ScheduleEntry

from liaison.beat import FileBeatLock, LockedScheduler, RedisBeatLock
from liaison.celery import all_queues, app

from .test_celery_worker import redis_url

REPO = Path(__file__).resolve().parents[2]


def test_each_kind_of_task_has_its_own_queue(settings):
    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    base = settings.CELERY_TASK_DEFAULT_QUEUE
    assert queue_of("liaison.tasks.send_notification_emails") == f"{base}-email"
    assert queue_of("meetings.tasks.send_invitation_emails") == f"{base}-email"
    assert queue_of("reports.tasks.generate_monthly_reports") == f"{base}-documents"
    for sweep in (
        "liaison.tasks.sweep_reminders",
        "meetings.tasks.check_cadence",
        "mediation.tasks.sweep_terms",
        "mediation.tasks.remind_sessions",
        "mediation.tasks.sweep_recommendation_terms",
        "reports.tasks.sweep_suggestions",
        "liaison.tasks.extend_working_day_index",
    ):
        assert queue_of(sweep) == f"{base}-sweeps", sweep
    # Every scheduled task is routed somewhere a worker listens (no task left on the default queue).
    from liaison.celery import _beat_schedule

    for entry in _beat_schedule().values():
        assert queue_of(entry["task"]) != base, entry["task"]
    assert all_queues() == [base, f"{base}-email", f"{base}-documents", f"{base}-sweeps"]


def require_redis() -> str:
    url = redis_url()
    if not url:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("needs Redis (REDIS_URL)")
        pytest.skip("needs Redis (REDIS_URL)")
    return url


def _scheduler(lock, tmp_path: Path, sent: list) -> LockedScheduler:
    class Recording(LockedScheduler):
        def apply_async(self, entry: ScheduleEntry, producer=None, advance=True, **kwargs):
            sent.append((self.lock, entry.name))
            return super().apply_async(entry, producer=producer, advance=advance, **kwargs)

        def send_task(self, *args, **kwargs):
            return None  # nothing leaves the test

    scheduler = Recording(
        app=app, lock=lock, schedule_filename=str(tmp_path / f"schedule-{uuid.uuid4().hex}"), lazy=True
    )
    scheduler.setup_schedule()
    scheduler.merge_inplace({"tick": {"task": "liaison.tasks.sweep_reminders", "schedule": 0.001}})
    return scheduler


def _two_beats_take_turns(first_lock, second_lock, tmp_path, drop_first) -> None:
    sent: list = []
    first, second = _scheduler(first_lock, tmp_path, sent), _scheduler(second_lock, tmp_path, sent)
    for _ in range(3):
        first.tick()
        time.sleep(0.01)
        second.tick()
        time.sleep(0.01)
    assert {lock for lock, _ in sent} == {first_lock}
    assert first.active and not second.active

    drop_first()  # the first host dies (its lock expires or its process ends)
    sent.clear()
    for _ in range(3):
        second.tick()
        time.sleep(0.01)
    assert sent and {lock for lock, _ in sent} == {second_lock}
    assert second.active


def test_a_second_beat_stands_by_until_the_first_one_stops_renewing_its_redis_lock(tmp_path):
    url = require_redis()
    key = f"test:beat:{uuid.uuid4().hex}"
    first, second = RedisBeatLock(url, ttl_seconds=30, key=key), RedisBeatLock(url, ttl_seconds=30, key=key)
    try:
        _two_beats_take_turns(first, second, tmp_path, lambda: redis.Redis.from_url(url).delete(key))
        assert second.holder() == second.token
        assert first.acquire_or_renew() is False  # the old holder cannot renew someone else's lock
    finally:
        redis.Redis.from_url(url).delete(key)


def test_with_the_filesystem_broker_the_lock_is_a_file_lock(tmp_path, settings):
    settings.BEAT_HEARTBEAT_FILE = str(tmp_path / "heartbeat")
    path = tmp_path / "beat.lock"
    first, second = FileBeatLock(path), FileBeatLock(path)
    _two_beats_take_turns(first, second, tmp_path, first.release)
    assert time.time() - (tmp_path / "heartbeat").stat().st_mtime < 10  # the health check's file


def test_two_real_beat_processes_send_the_schedule_once(tmp_path):
    url = require_redis()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REMINDER_SWEEP_SECONDS": "1",
        "BEAT_LOCK_SECONDS": "3",
        "LIAISON_VAR_DIR": str(tmp_path / "var"),
    }
    client = redis.Redis.from_url(url)
    client.delete("liaison:beat:lock")
    beats = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "liaison",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(tmp_path / f"schedule-{n}"),
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n in range(2)
    ]
    try:
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up and client.llen(f"{queue}-sweeps") < 4:
            time.sleep(0.5)
        time.sleep(2)
    finally:
        for beat in beats:
            beat.terminate()
        outputs = [beat.communicate(timeout=30)[0].decode(errors="replace") for beat in beats]
        depth = client.llen(f"{queue}-sweeps")
        for name in all_queues():
            client.delete(name.replace("liaison", queue, 1))
        client.delete("liaison:beat:lock")
    senders = [output for output in outputs if "Sending due task" in output]
    assert depth >= 4, outputs
    assert len(senders) == 1, outputs
    assert any("standing by" in output for output in outputs), outputs
