"""Write a signed checkpoint of every audit chain head, to keep outside the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from liaison.audit import write_checkpoint


class Command(BaseCommand):
    help = "写出各审计链链尾的签名检查点（JSON），供 verify_audit_chain --checkpoint 发现截断或清空。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="文件路径或目录（默认 AUDIT_CHECKPOINT_DIR）")

    def handle(self, *args: object, output: Path | None = None, **options: object) -> None:
        path = write_checkpoint(output)
        self.stdout.write(str(path))
