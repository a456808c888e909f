"""Run the embedded demo: the web server plus one Celery worker with beat, no Redis needed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据，并启动网站与提醒服务（Celery worker + beat）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: object, addrport: str, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "liaison", "worker", "-B", "--loglevel=INFO",
             "--concurrency=1", "--pool=solo",
             "--schedule", str(settings.CELERY_DATA_DIR / "beat-schedule")],
            env=os.environ.copy(),
        )
        self.stdout.write(self.style.SUCCESS(
            f"提醒服务已启动（broker: {settings.CELERY_BROKER_URL}）。打开 http://{addrport}/ ，"
            "用 fed_staff / demo-pass-2026 登录。按 Ctrl+C 退出。"
        ))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
