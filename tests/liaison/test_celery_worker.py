"""A real Celery worker, over Redis, sweeps the reminders and sends the email."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from liaison import deadlines
from liaison.celery import app as celery_app
from liaison.choices import EmailState
from liaison.models import Notification
from liaison.tasks import sweep_reminders

from ..factories import OrganizationFactory, UserFactory, mechanism_between

pytestmark = pytest.mark.celery_worker
REPO = Path(__file__).resolve().parents[2]


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        return None
    return url


def database_url() -> str | None:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_env(transactional_db, tmp_path):
    broker, database = redis_url(), database_url()
    if not broker or not database:
        reason = "needs Redis (REDIS_URL) and PostgreSQL (a database the worker process can share)"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": broker,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LIAISON_VAR_DIR": str(tmp_path / "var"),
    }
    return {"env": env, "queue": queue, "mail": tmp_path / "mail", "broker": broker}


def test_a_real_worker_sweeps_and_sends_the_reminder_email(worker_env):
    court = OrganizationFactory(name="丙市中级人民法院")
    federation = OrganizationFactory(name="丙市工商联", kind="federation")
    mechanism = mechanism_between(court, federation)
    clerk = UserFactory(organization=court, roles=["court_clerk"], email="clerk@court.example")
    today = deadlines.today()
    deadlines.deadline_start(
        target=mechanism,
        kind="t.worker",
        label="答复丙企业诉求",
        mechanism=mechanism,
        owner_organization=court,
        owner_user=clerk,
        start=today,
        working_days=1,
        actor=None,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liaison",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            # Only the sweeps and email queues: the sweep's email must be routed to the email queue.
            "-Q",
            f"{worker_env['queue']}-sweeps,{worker_env['queue']}-email",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=REPO,
        env=worker_env["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # send_task never runs in-process, whatever the eager setting of this test run.
        with celery_app.connection_for_write(worker_env["broker"]) as broker:
            celery_app.send_task(sweep_reminders.name, queue=f"{worker_env['queue']}-sweeps", connection=broker)
        deadline = time.monotonic() + 60
        sent = []
        while time.monotonic() < deadline and not sent:
            time.sleep(0.5)
            sent = sorted(worker_env["mail"].glob("*.log")) if worker_env["mail"].exists() else []
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert sent, f"no email was sent; worker said:\n{output[-3000:]}"
    message = sent[0].read_text(encoding="utf-8")
    assert "clerk@court.example" in message
    notification = Notification.objects.get(recipient=clerk)
    assert "答复丙企业诉求" in notification.title
    assert notification.email_state == EmailState.SENT
