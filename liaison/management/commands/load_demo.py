"""Load the demo institutions, mechanisms and users of the seed documents; safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from liaison.demo import loader


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）。"

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            summary = loader.load()
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪；所有演示账号的密码为 demo-pass-2026"))
