"""`manage.py verify_draw N`: recompute draw N's digests and commitment and re-run it; MATCH or the differences."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.draws.models import Draw
from grassroots.draws.services import draw_verify


class Command(BaseCommand):
    help = (
        "重新计算抽取记录的名录摘要与种子承诺值并重新运行抽取：一致输出 MATCH，否则列出差异并以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_id", type=int, help="抽取记录编号")

    def handle(self, *args: Any, **options: Any) -> None:
        draw = Draw.objects.select_related("snapshot", "plan").filter(pk=options["draw_id"]).first()
        if draw is None:
            raise CommandError(f"抽取记录 {options['draw_id']} 不存在")
        problems = draw_verify(draw)
        if problems:
            for problem in problems:
                self.stdout.write(f"MISMATCH {problem}")
            raise CommandError(f"抽取记录 {draw.pk} 验证不通过（{len(problems)} 处差异）")
        self.stdout.write(
            f"MATCH 抽取记录 {draw.pk}（{draw.plan} 第{draw.sequence}次，{draw.algorithm}）："
            f"检查对象 {len(draw.assigned)}，未能分配 {len(draw.unassigned)}"
        )
