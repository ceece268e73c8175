"""`manage.py demo`: load the demo district 嘉善县 and its event history (idempotent), or rebuild it with --reset."""

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from grassroots.demo.convenience import ConvenienceResult, build_demo_applications, catalogue_line
from grassroots.demo.disputes import DEFAULT_DISPUTES, build_demo_disputes
from grassroots.demo.district import (
    DemoDistrict,
    HistoryState,
    build_demo_district,
    demo_district_exists,
    demo_history_recorded,
    demo_history_state,
    demo_seed,
    login_username_conflicts,
    reset_demo_district,
)
from grassroots.demo.enforcement_cases import DEFAULT_CASES, build_demo_cases
from grassroots.demo.enforcement_operations import build_demo_operations
from grassroots.demo.enforcement_plans import build_demo_enforcement_plans
from grassroots.demo.enforcement_powers import build_demo_powers
from grassroots.demo.history import DEFAULT_DAYS, DEFAULT_PER_DAY, HistoryResult, build_demo_history
from grassroots.demo.market import build_demo_market
from grassroots.demo.market_complaints import build_demo_complaint_inspections
from grassroots.demo.market_inspections import build_demo_inspections
from grassroots.demo.meetings import build_demo_meetings, meetings_line
from grassroots.demo.names import DISTRICT_CODE, DISTRICT_NAME
from grassroots.demo.petitions import DEFAULT_PETITIONS, build_demo_petitions
from grassroots.demo.places import MAX_SIZE
from grassroots.demo.progress import progress_read
from grassroots.events.choices import Level, Source, Status
from grassroots.mobile.demo import build_demo_phone_tasks, build_demo_visits
from grassroots.org.choices import PlatformKind


class Command(BaseCommand):
    help = "载入演示数据：嘉善县的乡镇街道、村社区、网格、单位、平台、人员和近几个月的事件。"

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
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据（含事件）再重新生成")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"事件历史覆盖的天数，截至此刻（默认 {DEFAULT_DAYS}）",
        )
        parser.add_argument(
            "--per-day",
            type=int,
            default=DEFAULT_PER_DAY,
            help=f"每个工作日上报的事件数，休息日约三成（默认 {DEFAULT_PER_DAY}）",
        )
        parser.add_argument(
            "--no-history", action="store_true", help="只生成区划、单位和人员，不生成事件历史"
        )
        parser.add_argument(
            "--history-later",
            action="store_true",
            help="只生成区划、单位和人员，事件历史留待下一次不带此参数的运行（scripts/run 在后台生成）",
        )

    def handle(
        self,
        *args: Any,
        seed: int,
        size: int,
        reset: bool,
        days: int,
        per_day: int,
        no_history: bool,
        history_later: bool,
        **options: Any,
    ) -> None:
        if not 1 <= size <= MAX_SIZE:
            raise CommandError(f"--size 应在 1 到 {MAX_SIZE} 之间")
        if days < 1 or per_day < 0:
            raise CommandError("--days 应至少为 1，--per-day 不能为负数")
        started = time.monotonic()
        demo: DemoDistrict | None = None
        with transaction.atomic():
            exists = demo_district_exists()
            state = demo_history_state() if exists else HistoryState.NONE
            building = progress_read()
            if building is not None and (reset or state == HistoryState.PARTIAL):
                doing = f"演示事件历史正由进程 {building['pid']} 生成（已模拟 {building['done']}/{building['days']} 天）"
                if reset:
                    raise CommandError(f"{doing}：请先停止它再重建。")
                self.stdout.write(f"{doing}，本次不再生成。")
                return
            if not reset and state == HistoryState.PARTIAL:
                self.stdout.write("上次生成演示事件历史时中断了，只生成了一部分：删除后重新生成。")
                reset = True
            if reset:
                try:
                    reset_demo_district()
                except ProtectedError as exc:
                    raise CommandError(f"无法删除演示数据：仍有其他数据引用它（{exc.args[0]}）") from exc
            elif exists and (state != HistoryState.PENDING or history_later):
                self.stdout.write(
                    f"演示数据已载入：{DISTRICT_NAME}（{DISTRICT_CODE}）。如需重建请加 --reset。"
                )
                return
            if not exists or reset:
                if conflicts := login_username_conflicts():
                    raise CommandError(f"以下用户名已被占用，演示账号无法创建：{'、'.join(conflicts)}")
                demo = build_demo_district(seed=seed, size=size, history_follows=not no_history)
            else:  # the district is waiting for its history, built with the district's own seed
                seed = demo_seed() or seed
        if demo is not None:
            self._report(demo, time.monotonic() - started)
        # The enforcement platform's power list (权力清单) of 西塘镇 (none if already there).
        if powers := build_demo_powers(seed=seed):
            self.stdout.write(f"\n权力清单 {powers} 项（西塘镇）")
        # The market-supervision registry: entities placed in the grids (none if already there).
        built = time.monotonic()
        if entities := build_demo_market(seed=seed):
            self.stdout.write(f"\n市场主体 {entities} 户，用时 {time.monotonic() - built:.1f} 秒")
        if (inspections := build_demo_inspections(seed=seed)).inspections:
            self.stdout.write(inspections.line())
        if operations := build_demo_operations(seed=seed):
            self.stdout.write(f"\n联合执法/专项整治行动 {operations} 次（西塘镇，近十二个月）")
        if (plans := build_demo_enforcement_plans(seed=seed)).plans:
            self.stdout.write(plans.line())
        if no_history:
            return
        if history_later:
            self.stdout.write("\n事件历史随后生成：scripts/run 在后台生成，也可运行 manage.py demo。")
            return
        # The applications of the convenience centres: bulk-built in one transaction (none if already there).
        applied = time.monotonic()
        applications = build_demo_applications(seed=seed)
        self._report_convenience(applications, time.monotonic() - applied)
        self.stdout.write(f"\n正在生成近 {days} 天的事件历史（每个工作日约 {per_day} 件）……")
        # Outside the district's transaction: the history commits a few dozen steps at a time.
        history = build_demo_history(seed=seed, days=days, per_day=per_day, progress=self.stdout.write)
        # The grid worker's phone: household visits, and work waiting on site (verify, check).
        visits = build_demo_visits(district_code=DISTRICT_CODE, seed=seed)
        tasks = build_demo_phone_tasks()
        # The market complaints among the events, checked on site by 西塘市场监管所 (投诉举报核查).
        complaints = build_demo_complaint_inspections(seed=seed)
        # A year of 西塘镇's weekly 矛盾联调 and 执法会商, the week's disputes on the agenda, decisions as tasks.
        meetings = build_demo_meetings(seed=seed)
        # A year of 西塘镇's disputes and their mediation (矛盾纠纷), through the governance services (a short
        # history: proportionally fewer).
        disputes = build_demo_disputes(
            seed=seed, count=max(12, DEFAULT_DISPUTES * min(days, DEFAULT_DAYS) // DEFAULT_DAYS)
        )
        # A year of 综合行政执法西塘中队's cases, some opened from the enforcement platform's events; a short history
        # (a trial run) gets a proportionally short list. Built before the history is recorded as done, so an
        # interrupted run builds them on the next one.
        cases = build_demo_cases(
            seed=seed, count=max(12, DEFAULT_CASES * min(days, DEFAULT_DAYS) // DEFAULT_DAYS)
        )
        # A year of 西塘镇信访办's petitions (a short history: proportionally fewer)
        petitions = build_demo_petitions(
            seed=seed, count=max(12, DEFAULT_PETITIONS * min(days, DEFAULT_DAYS) // DEFAULT_DAYS)
        )
        demo_history_recorded({"reports": history.reports, "steps": history.steps, "visits": visits})
        self.stdout.write(f"  走访日志 {visits} 条；网格员 gridworker 待核实/核查任务 {len(tasks)} 件")
        if complaints:
            self.stdout.write(f"  市场监管投诉举报核查 {complaints} 次（西塘市场监管所）")
        if meetings:
            self.stdout.write(meetings_line(meetings))
        if cases.cases:
            self.stdout.write(f"  {cases.line()}")
        if disputes.disputes:
            self.stdout.write(f"  {disputes.line()}")
        if petitions.petitions:
            self.stdout.write(f"  {petitions.line()}")
        self._report_history(history, time.monotonic() - started)

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
            f"  {catalogue_line()}，便民服务中心 {c['service_centres']} 个（窗口 {c['service_windows']} 个）",
            "",
            f"演示账号（密码均为 {demo.password}）：",
        ]
        rows = [("用户名", "角色", "范围"), *((x.username, x.role_label, x.scope) for x in demo.logins)]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        for username, role, scope in rows:
            lines.append(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {scope}")
        self.stdout.write("\n".join(lines))

    def _report_convenience(self, result: ConvenienceResult, seconds: float) -> None:
        if not result.applications:
            return
        lines = [f"\n{catalogue_line()}，办件 {result.applications} 件，用时 {seconds:.1f} 秒"]
        for name, c in result.by_township.items():
            rated = f"，满意率 {c['good'] / c['rated']:.1%}" if c["rated"] else ""
            lines.append(
                f"  {name}：受理 {c['accepted']} 件，办结 {c['finished']} 件"
                f"（{c['finished'] / max(c['accepted'], 1):.1%}），不见面 {c['remote'] / c['applications']:.1%}{rated}"
            )
        self.stdout.write("\n".join(lines))

    def _report_history(self, history: HistoryResult, total_seconds: float) -> None:
        counts = history.counts
        flags = counts["flags"]
        total = sum(counts["status"].values())

        def listing(name: str, label: Any) -> str:
            rows = counts[name].most_common()
            return "、".join(f"{label(value)} {n}（{n / max(total, 1):.1%}）" for value, n in rows)

        lines = [
            f"已生成事件历史：{history.first_day:%Y-%m-%d} 至 {timezone.localtime(history.until):%Y-%m-%d %H:%M}，"
            f"事件 {total} 件，流转 {flags['transitions']} 步（其中计时器 {history.timer_acts} 步），"
            f"用时 {history.seconds:.1f} 秒（合计 {total_seconds:.1f} 秒）",
            f"  状态：{listing('status', lambda v: Status(v).label)}",
            f"  平台：{listing('platform', lambda v: PlatformKind(v).label)}",
            f"  来源：{listing('source', lambda v: Source(v).label)}",
            f"  层级：{listing('level', lambda v: Level(int(v)).label)}",
            f"  其中：自行处置 {flags['self_handled']}、退回 {flags['returned']}、返工 {flags['reworked']}、"
            f"延期 {flags['extended']}、升级 {flags['escalated']}（到区县 {flags['reached_level_4']}）、"
            f"联合处置 {flags['joint']}、合并 {flags['merged']}、重启 {flags['reopened']}、"
            f"督办 {flags['supervision_supervise']}、催办 {flags['supervision_urge']}、当前超期 {flags['overdue']}",
        ]
        if history.failures:
            refused = "、".join(f"{k} {n}" for k, n in sorted(history.failures.items()))
            lines.append(f"  被拒绝后改走其他步骤：{refused}")
        self.stdout.write("\n".join(lines))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
