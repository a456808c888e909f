"""Verify the audit log's hash chains; exit 1 when any event was edited, inserted or deleted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from liaison.audit import CheckpointInvalid, read_checkpoint, verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链；发现记录被修改或删除时以非零状态退出。--checkpoint 对照签名检查点，发现截断或清空。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoint", type=Path, help="audit_checkpoint 写出的签名检查点文件")

    def handle(self, *args: object, checkpoint: Path | None = None, **options: object) -> None:
        try:
            anchor = read_checkpoint(checkpoint) if checkpoint else None
        except CheckpointInvalid as error:
            self.stderr.write(self.style.ERROR(str(error)))
            raise SystemExit(1) from error
        report = verify_chain(checkpoint=anchor)
        if report.ok:
            against = f"，与检查点 {anchor['created_at']} 相符" if anchor else ""
            self.stdout.write(
                self.style.SUCCESS(f"审计链完整：{report.chains} 条链，共校验 {report.checked} 条记录{against}。")
            )
            return
        for problem in report.problems:
            self.stderr.write(problem)
        self.stderr.write(self.style.ERROR(f"审计链已损坏：发现 {len(report.problems)} 处问题。"))
        raise SystemExit(1)
