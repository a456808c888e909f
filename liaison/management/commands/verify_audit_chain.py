"""Verify the audit log's hash chain; exit 1 when any event was edited, inserted or deleted."""
from django.core.management.base import BaseCommand

from liaison.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链；发现记录被修改或删除时以非零状态退出。"

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：共校验 {report.checked} 条记录。"))
            return
        for problem in report.problems:
            self.stderr.write(problem)
        self.stderr.write(self.style.ERROR(f"审计链已损坏：发现 {len(report.problems)} 处问题。"))
        raise SystemExit(1)
