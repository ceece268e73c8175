"""`manage.py demo`: load the demo district 嘉善县 (idempotent), or rebuild it with --reset."""

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError

from grassroots.demo.district import (
    DemoDistrict,
    build_demo_district,
    demo_district_exists,
    login_username_conflicts,
    reset_demo_district,
)
from grassroots.demo.names import DISTRICT_CODE, DISTRICT_NAME
from grassroots.demo.places import MAX_SIZE


class Command(BaseCommand):
    help = "载入演示数据：嘉善县的乡镇街道、村社区、网格、单位、平台和人员。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子；相同种子生成相同数据（默认 2026）"
        )
        parser.add_argument(
            "--size",
            type=int,
            default=1,
            help=f"规模：每 1 档 3 个乡镇街道、约 200 个网格（1–{MAX_SIZE}，默认 1）",
        )
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据再重新生成")

    def handle(self, *args: Any, seed: int, size: int, reset: bool, **options: Any) -> None:
        if not 1 <= size <= MAX_SIZE:
            raise CommandError(f"--size 应在 1 到 {MAX_SIZE} 之间")
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                try:
                    reset_demo_district()
                except ProtectedError as exc:
                    raise CommandError(f"无法删除演示数据：仍有其他数据引用它（{exc.args[0]}）") from exc
            elif demo_district_exists():
                self.stdout.write(
                    f"演示数据已载入：{DISTRICT_NAME}（{DISTRICT_CODE}）。如需重建请加 --reset。"
                )
                return
            if conflicts := login_username_conflicts():
                raise CommandError(f"以下用户名已被占用，演示账号无法创建：{'、'.join(conflicts)}")
            demo = build_demo_district(seed=seed, size=size)
        self._report(demo, time.monotonic() - started)

    def _report(self, demo: DemoDistrict, seconds: float) -> None:
        c = demo.counts
        lines = [
            f"已载入演示数据：{DISTRICT_NAME}（{DISTRICT_CODE}），种子 {demo.seed}，规模 {demo.size}，用时 {seconds:.1f} 秒",
            f"  乡镇街道 {c['townships']} 个，社区 {c['communities']} 个，行政村 {c['villages']} 个，"
            f"网格 {c['grids']} 个（{c['households']} 户）",
            f"  单位 {c['units']} 个（派驻机构 A 类 {c['agencies_a']} 个、B 类 {c['agencies_b']} 个），"
            f"平台 {c['platforms']} 个",
            f"  人员 {c['people']} 人（其中网格志愿者 {c['volunteers']} 人，无登录），网格团队成员 {c['team_members']} 人次，"
            f"AB 岗 {c['backup_posts']} 个，当前请假 {c['absences']} 人",
            "",
            f"演示账号（密码均为 {demo.password}）：",
        ]
        rows = [("用户名", "角色", "范围"), *((x.username, x.role_label, x.scope) for x in demo.logins)]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        for username, role, scope in rows:
            lines.append(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {scope}")
        self.stdout.write("\n".join(lines))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
