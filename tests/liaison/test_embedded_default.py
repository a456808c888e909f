"""The embedded default: SQLite file, Celery over the filesystem, no Redis, reminders still sent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_it_sweeps_reminders_with_worker_and_beat_over_the_filesystem(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_QUEUE"}
    }
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "LIAISON_VAR_DIR": str(tmp_path / "var"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "REMINDER_SWEEP_SECONDS": "2",
        }
    )
    manage(env, "migrate", "--noinput", "-v0")
    assert "演示数据已就绪" in manage(env, "load_demo")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liaison",
            "worker",
            "-B",
            "--pool=solo",
            "--concurrency=1",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--loglevel=INFO",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    reminders = 0
    try:
        give_up = time.monotonic() + 90
        while time.monotonic() < give_up and not reminders:
            time.sleep(1)
            with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
                reminders = db.execute(
                    "SELECT count(*) FROM liaison_notification WHERE kind IN ('due_soon','due_today','overdue')"
                ).fetchone()[0]
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")[-3000:]
        mails = []
        while time.monotonic() < give_up and not mails:
            time.sleep(1)
            mails = list((tmp_path / "mail").glob("*.log")) if (tmp_path / "mail").exists() else []
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert reminders >= 1, f"no reminder was created; worker said:\n{output[-3000:]}"
    assert mails, f"the reminder email was not sent; worker said:\n{output[-3000:]}"
    assert "filesystem" in output
