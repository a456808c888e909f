"""Restore an archive of `backup` into an empty database and an empty file storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份归档恢复数据库与附件文件；目标数据库和文件存储须为空（--force 覆盖）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup 命令生成的 .tar 归档")
        parser.add_argument("--force", action="store_true", help="目标不为空时仍然覆盖")

    def handle(self, *args: object, archive: str, force: bool, **options: object) -> None:
        try:
            result = restore_backup(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for note in result.notes:
            self.stderr.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(f"恢复完成：数据库（{result.database}）与 {result.objects} 个文件。"))
        if result.checkpoint:
            self.stdout.write(f"审计校验点：{result.checkpoint}（用 verify_audit_chain 对照）")
        self.stdout.write("下一步：python manage.py verify_audit_chain")
