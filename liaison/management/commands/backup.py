"""Write one dated archive of the database, the stored files and the audit checkpoint."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份：数据库、全部附件文件与审计校验点，写入一个带日期的归档文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="归档文件存放的目录（默认 var/backups）",
        )

    def handle(self, *args: object, output_dir: str, **options: object) -> None:
        try:
            archive, notes = create_backup(Path(output_dir))
        except BackupError as error:
            raise CommandError(str(error)) from error
        for note in notes:
            self.stderr.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(f"备份完成：{archive}"))
