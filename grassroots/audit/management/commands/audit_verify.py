"""Check the whole audit log: signatures, numbering and chain. Exit 1 naming the first problem found."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.audit.services import audit_seal, audit_verify


class Command(BaseCommand):
    help = "核验审计日志：签名、编号与链值；发现问题时指出第一条并以状态 1 退出。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-seal", action="store_true", help="不先封存尚未入链的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            audit_seal()
        problems = audit_verify()
        if problems:
            for problem in problems[1:20]:
                self.stderr.write(problem)
            raise CommandError(f"审计日志核验失败，第一个问题：{problems[0]}（共 {len(problems)} 个）")
        self.stdout.write("审计日志核验通过。")
