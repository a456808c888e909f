"""Run the embedded demo: the web server plus one Celery worker with beat, no Redis needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from liaison.pdf import missing_requirements


def site_url_for(addrport: str) -> str:
    """The address the demo's emails and calendar links point to: the one it listens on."""
    host, _, port = addrport.rpartition(":") if ":" in addrport else ("", "", addrport)
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port or '8000'}"


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据，并启动网站与提醒服务（Celery worker + beat）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="监听地址与端口，如 8001 或 0.0.0.0:8001（邮件中的链接随之改变）",
        )
        parser.add_argument("--debug", action="store_true", help="以 DEBUG 模式运行（显示调试错误页）")

    def handle(self, *args: object, addrport: str, debug: bool, **options: object) -> None:
        # The demo runs over plain http, with the friendly error pages people will see in production
        # (DEBUG off; static files are served by WhiteNoise from the source folders).
        if "SITE_URL" not in os.environ:
            os.environ["SITE_URL"] = settings.SITE_URL = site_url_for(addrport)
        demo_env = {
            "DEBUG": "1" if debug else "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
        }
        os.environ.update(demo_env)
        settings.DEBUG = debug
        settings.SECURE_SSL_REDIRECT = False
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
        settings.SECURE_HSTS_SECONDS = 0
        host = site_url_for(addrport).split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        for missing in missing_requirements():
            self.stderr.write(self.style.WARNING(f"打印 PDF 还缺少：{missing}"))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "liaison",
                "worker",
                "-B",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=solo",
                "--schedule",
                str(settings.CELERY_DATA_DIR / "beat-schedule"),
            ],
            env=os.environ.copy(),
        )
        # The demo's docked 网上工商联 pushes here (SMS go to files under var/sms/).
        receiver = subprocess.Popen(
            [sys.executable, "manage.py", "run_webhook_receiver"], env=os.environ.copy(), cwd=str(settings.BASE_DIR)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"提醒服务已启动（broker: {settings.CELERY_BROKER_URL}）。打开 {settings.SITE_URL}/ ，"
                "用 fed_staff / demo-pass-2026 登录。按 Ctrl+C 退出。"
            )
        )
        try:
            call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
        finally:
            receiver.send_signal(signal.SIGTERM)
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
