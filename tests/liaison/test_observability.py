"""Health, readiness, request ids in JSON logs, restricted metrics, Sentry off without a DSN."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from liaison import deadlines
from liaison.choices import EmailState
from liaison.models import Notification
from liaison.observability import JsonFormatter, RequestIdFilter, record_sweep

from ..factories import UserFactory

REPO = Path(__file__).resolve().parents[2]
TOKEN = "a-long-random-metrics-token-for-the-test"


def test_health_is_one_cheap_query(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_database_redis_and_storage(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REDIS_URL = os.environ.get("REDIS_URL", "")
    response = client.get("/health/ready/")
    body = response.json()
    assert body["database"] == "ok" and body["storage"] == "ok"
    if settings.REDIS_URL:
        assert body["redis"] == "ok"
    assert response.status_code == 200 and body["status"] == "ok"


def test_readiness_answers_503_when_redis_is_unreachable(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["redis"] == "error" and response.json()["database"] == "ok"


def test_every_response_carries_a_request_id_and_a_proxy_one_is_kept_only_behind_the_proxy(client, db, settings):
    first, second = client.get("/health/"), client.get("/health/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/health/", HTTP_X_REQUEST_ID="from-the-proxy-123")["X-Request-ID"] != "from-the-proxy-123"
    settings.BEHIND_PROXY = True
    assert client.get("/health/", HTTP_X_REQUEST_ID="from-the-proxy-123")["X-Request-ID"] == "from-the-proxy-123"
    assert client.get("/health/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_json_log_lines_carry_the_request_id_and_mask_personal_data():
    record = logging.LogRecord("liaison.test", logging.WARNING, __file__, 1, "手机 %s 联系", ("13812345678",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "手机 138****5678 联系"
    assert line["level"] == "WARNING" and line["logger"] == "liaison.test" and "request_id" in line


def test_a_request_logs_json_with_its_id(tmp_path):
    """A real process with LOG_FORMAT=json: the log line of a request names the request's id."""
    script = (
        "import django, logging; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/health/', HTTP_HOST='localhost')\n"
        "print('ID', response['X-Request-ID'], flush=True)\n"
    )
    env = {
        **os.environ,
        "LOG_FORMAT": "json",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "LIAISON_VAR_DIR": str(tmp_path / "var"),
    }
    # A warning inside a request: Django logs a 404 for an unknown address.
    script = script.replace("'/health/'", "'/static/no-such-file.css'")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    request_id = result.stdout.split("ID ", 1)[1].split()[0]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(line["request_id"] == request_id and "Not Found" in line["message"] for line in lines), result.stderr


def test_metrics_are_refused_without_the_token_or_an_internal_address(client, db, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200

    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404  # no token: nobody
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.BEHIND_PROXY = True  # through the public proxy the peer is internal, but it is a visitor
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404
    # A logged-in user is no scraper either.
    client.force_login(UserFactory())
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_metrics_show_requests_and_the_portal_gauges(client, world, settings):
    settings.METRICS_TOKEN = TOKEN
    old = Notification.objects.create(
        recipient=world.alice, kind="due_soon", title="提醒", body="提醒", email_state=EmailState.PENDING
    )
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    today = deadlines.today()
    deadline = deadlines.deadline_start(
        target=world.mechanism,
        kind="t.metrics",
        label="逾期事项",
        mechanism=world.mechanism,
        owner_organization=world.court,
        owner_user=world.bob,
        start=today - dt.timedelta(days=30),
        working_days=1,
        actor=None,
    )
    assert deadline.due_date < today
    record_sweep(1.25, 3)
    client.get("/health/")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    values = {line.split(" ")[0]: line.split(" ")[1] for line in text.splitlines() if line and not line.startswith("#")}
    assert float(values["liaison_oldest_pending_email_seconds"]) >= 7200
    assert values["liaison_pending_emails"] == "1.0"
    assert values["liaison_overdue_deadlines"] == "1.0"
    assert values["liaison_sweep_duration_seconds"] == "1.25"
    assert f'liaison_queue_depth{{queue="{settings.CELERY_TASK_DEFAULT_QUEUE}-email"}}' in values
    assert "django_http_requests_total_by_method_total" in text


def test_sentry_is_off_without_a_dsn_and_on_with_one(tmp_path):
    check = (
        "import django; django.setup(); import sentry_sdk; "
        "print('ACTIVE' if sentry_sdk.get_client().is_active() else 'OFF')"
    )
    base = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    base.update(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", LIAISON_VAR_DIR=str(tmp_path / "var"))
    off = subprocess.run([sys.executable, "-c", check], cwd=REPO, env=base, capture_output=True, text=True, timeout=120)
    on = subprocess.run(
        [sys.executable, "-c", check],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, "SENTRY_DSN": "https://public@sentry.example.invalid/1"},
    )
    assert off.stdout.strip().endswith("OFF"), off.stderr[-2000:]
    assert on.stdout.strip().endswith("ACTIVE"), on.stderr[-2000:]


@pytest.fixture(autouse=True)
def _no_stray_sweep_record(settings, tmp_path):
    settings.CELERY_DATA_DIR = tmp_path / "celery"
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete("liaison:metrics:last_sweep")


def test_env_example_documents_every_variable_the_settings_read():
    import re

    sources = (REPO / "liaison/settings.py").read_text() + (REPO / "liaison/observability.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\("([A-Z0-9_]+)"', sources))
    documented = (REPO / ".env.example").read_text()
    assert {"STORAGE_BACKEND", "DATABASE_REPLICA_URL", "METRICS_TOKEN", "SENTRY_DSN"} <= names
    assert sorted(name for name in names if not re.search(rf"^#? ?{name}=", documented, re.M)) == []
