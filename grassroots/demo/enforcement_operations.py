"""The demo township's year of joint operations and special campaigns (联合执法 / 专项整治), led by 西塘镇's units.

What the seeds say, and what the demo takes from each:
- seed 000 (西塘): "累计开展联合整治行动10余次" against bar touting, noise and unmarked prices (酒吧拉客、噪音污染、
  不明码标价), after joint meetings on bars and barbecues: 12 operations of those themes in the year.
- seed 001 (镇海 九龙湖镇): "今年以来……先后组织开展联合执法60余次" around 五水共治, 三改一拆, 小城镇环境综合整治
  and city roads: the township's year totals 62–66 operations.
- seed 004 (上虞): "7月份，全区各乡镇（街道）开展工业小区违建、农村食品安全、集镇镇容镇貌等联合执法行动52次" — a
  whole district's month; one township's share is a few, so July here carries about twice an ordinary month.

Every operation is written through the services (plan, tasks, start, each unit's results by its own staff, finish),
so history and audit rows are as a real year leaves them; those still under way today are left running, those to
come planned. The same seed and day give the same year.
"""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.enforcement.models import JointOperation
from grassroots.enforcement.models.operations import OperationKind
from grassroots.enforcement.services.operation_access import STAFF_ROLES
from grassroots.enforcement.services.operations import (
    Results,
    operation_cancel,
    operation_complete_task,
    operation_create,
    operation_finish,
    operation_record_results,
    operation_start,
)
from grassroots.geo.models import Grid
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

XITANG = "330421102"
XITANG_COUNT = 12  # seed 000: 联合整治行动 10余次
YEAR_COUNT = (62, 66)  # seed 001: 联合执法 60余次 in a year
JULY_WEIGHT = 2  # seed 004: a summer month of 工业小区违建、农村食品安全、集镇镇容镇貌 actions


@dataclass(frozen=True)
class Theme:
    title: str
    units: tuple[str, ...]  # code suffixes; the first leads
    places: tuple[str, ...]
    tasks: dict[str, str]
    kind: str = OperationKind.JOINT
    days: tuple[int, int] = (1, 4)


XITANG_THEMES = (
    Theme(
        "酒吧街拉客联合整治",
        ("ZFZD", "PCS", "SCJG"),
        ("西街酒吧街", "烟雨长廊"),
        {"ZFZD": "劝离拉客人员，查处占道经营", "PCS": "夜间巡逻，维护秩序", "SCJG": "检查明码标价"},
    ),
    Theme(
        "夜间噪音污染联合整治",
        ("ZFZD", "PCS", "STHJ"),
        ("西街酒吧街", "塘东街"),
        {"ZFZD": "查处娱乐场所噪音扰民", "PCS": "受理噪音警情", "STHJ": "现场噪声监测"},
    ),
    Theme(
        "景区商户明码标价联合检查",
        ("SCJG", "ZFZD", "SAB"),
        ("北栅街", "西街"),
        {"SCJG": "检查商品和服务明码标价", "ZFZD": "查处店外经营", "SAB": "检查餐饮食品安全"},
    ),
    Theme(
        "露天烧烤联合整治",
        ("ZFZD", "SCJG", "STHJ"),
        ("南苑路夜市", "西塘大道"),
        {"ZFZD": "取缔露天烧烤摊点", "SCJG": "检查食品经营许可", "STHJ": "检查餐饮油烟排放"},
    ),
)
OTHER_THEMES = (
    Theme(
        "五水共治河道沿线排污联合执法",
        ("ZFZD", "STHJ", "NJSL"),
        ("伍子塘沿岸", "红菱村河道"),
        {"ZFZD": "查处违法排污", "STHJ": "水质采样检测", "NJSL": "排查沿河排污口"},
    ),
    Theme(
        "三改一拆违法建筑联合执法",
        ("ZFZD", "ZRZY", "CJB"),
        ("鸦鹊村", "西塘工业园"),
        {"ZFZD": "组织拆除违法建筑", "ZRZY": "核查用地和规划审批", "CJB": "登记违建台账"},
    ),
    Theme(
        "小城镇环境综合整治联合执法",
        ("ZFZD", "CJB", "SCJG", "JJZD"),
        ("镇区主干道", "农贸市场周边"),
        {
            "ZFZD": "整治乱堆乱放、乱贴乱画",
            "CJB": "督促立面整治",
            "SCJG": "规范市场经营秩序",
            "JJZD": "整治乱停车",
        },
    ),
    Theme(
        "城市道路占道经营联合整治",
        ("ZFZD", "JJZD", "PCS"),
        ("西塘大道", "南苑路"),
        {"ZFZD": "查处占道经营", "JJZD": "整治违停", "PCS": "维护秩序"},
    ),
    Theme(
        "工业小区违法建筑联合执法",
        ("ZFZD", "ZRZY", "AJZ"),
        ("西塘工业园", "大舜工业小区"),
        {"ZFZD": "查处违法搭建", "ZRZY": "核查规划许可", "AJZ": "检查安全生产"},
    ),
    Theme(
        "农村食品安全联合检查",
        ("SCJG", "SAB", "ZFZD"),
        ("农村家宴中心", "村级小超市"),
        {"SCJG": "检查食品经营者", "SAB": "指导农村家宴", "ZFZD": "查处无证摊贩"},
    ),
    Theme(
        "集镇镇容镇貌联合整治",
        ("ZFZD", "CJB", "JJZD"),
        ("集镇中心街", "汽车站周边"),
        {"ZFZD": "整治店外经营", "CJB": "清理违规广告牌", "JJZD": "整治乱停车"},
    ),
    Theme(
        "安全生产专项整治",
        ("AJZ", "ZFZD"),
        ("西塘工业园",),
        {"AJZ": "检查企业安全生产", "ZFZD": "查处违法行为"},
        kind=OperationKind.CAMPAIGN,
        days=(10, 25),
    ),
    Theme(
        "餐饮店排污专项整治",
        ("STHJ", "ZFZD"),
        ("景区餐饮街", "镇区餐饮店"),
        {"STHJ": "督促排污系统改建", "ZFZD": "查处直排"},
        kind=OperationKind.CAMPAIGN,
        days=(10, 25),
    ),
)


def demo_operations() -> QuerySet[JointOperation]:
    return JointOperation.objects.filter(lead_unit__division__code__startswith=XITANG)


def delete_demo_operations() -> None:
    demo_operations().delete()


def _staff(unit: Unit) -> Person | None:
    return (
        Person.objects.filter(unit=unit, role__in=STAFF_ROLES, is_active=True).order_by("role", "pk").first()
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _results(rng: random.Random) -> Results:
    places = rng.randint(2, 16)
    problems = rng.randint(0, places // 2 + 1)
    cases = rng.randint(0, problems // 2)
    return Results(places, problems, cases, rng.randint(problems // 2, problems))


def _schedule(rng: random.Random, today: dt.date) -> list[tuple[Theme, dt.date]]:
    """Twelve months up to this one; every operation a theme and a first day (July weighs double)."""
    months = []
    month = today.replace(day=1)
    for _ in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    weights = [JULY_WEIGHT if m.month == 7 else 1 for m in months]
    total = rng.randint(*YEAR_COUNT)
    themes = [XITANG_THEMES[i % len(XITANG_THEMES)] for i in range(XITANG_COUNT)]
    themes += [rng.choice(OTHER_THEMES) for _ in range(total - XITANG_COUNT)]
    planned = []
    for theme in themes:
        first = rng.choices(months, weights)[0]
        last_day = ((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
        planned.append((theme, first.replace(day=rng.randint(1, last_day))))
    return sorted(planned, key=lambda pair: (pair[1], pair[0].title))


def _one(
    theme: Theme,
    start: dt.date,
    units: dict[str, Unit],
    grids: list[Grid],
    rng: random.Random,
    ceiling: dt.datetime,
) -> JointOperation | None:
    """One operation of `theme` from `start`, taken as far as the day of `ceiling` allows (never after it)."""
    today = ceiling.astimezone(SHANGHAI).date()

    def at(day: dt.date, hour: int) -> dt.datetime:
        return min(_at(day, hour), ceiling)

    chosen = [units[s] for s in theme.units if s in units]
    staff = {u.pk: p for u in chosen if (p := _staff(u)) is not None}
    chosen = [u for u in chosen if u.pk in staff]
    if not chosen or (theme.kind == OperationKind.JOINT and len(chosen) < 2):
        return None
    lead, end = chosen[0], start + dt.timedelta(days=rng.randint(*theme.days) - 1)
    actor = staff[lead.pk]
    operation = operation_create(
        actor=actor,
        kind=theme.kind,
        title=f"{start.month}月{theme.title}",
        lead_unit=lead,
        units=chosen[1:],
        starts_on=start,
        ends_on=end,
        plan=f"{lead.name}牵头，"
        + "；".join(f"{u.name}{theme.tasks.get(s, '')}" for s, u in units.items() if u in chosen),
        places=[{"name": p} for p in theme.places],
        grids=rng.sample(grids, min(len(grids), rng.randint(1, 3))),
        tasks=[(u, theme.tasks[s]) for s, u in units.items() if u in chosen and s in theme.tasks],
        now=at(start - dt.timedelta(days=rng.randint(2, 7)), 10),
    )
    if start > today:
        return operation
    if rng.random() < 0.04:
        operation_cancel(actor=actor, operation=operation, reason="与其他行动合并开展", now=at(start, 8))
        return operation
    operation_start(actor=actor, operation=operation, now=at(start, 9))
    done_day = min(end, today)
    for task in operation.tasks.select_related("unit"):
        operation_complete_task(
            actor=staff[task.unit_id],
            operation=operation,
            task_id=task.pk,
            notes="已完成",
            now=at(done_day, 16),
        )
    reporters = chosen if end < today else chosen[: rng.randint(0, len(chosen))]
    for unit in reporters:
        operation_record_results(
            actor=staff[unit.pk], operation=operation, unit=unit, results=_results(rng), now=at(done_day, 17)
        )
    if end < today:
        operation_finish(
            actor=actor, operation=operation, summary="行动完成，问题已交办整改", now=at(end, 18)
        )
    return operation


def build_demo_operations(*, seed: int, today: dt.date | None = None) -> int:
    """The year of 西塘镇's operations up to `today` (default: today); nothing if there are some already or the
    township's units are missing. Returns how many were made."""
    if demo_operations().exists():
        return 0
    suffixes = {s for theme in (*XITANG_THEMES, *OTHER_THEMES) for s in theme.units}
    units = {
        u.code.split("-", 1)[1]: u for u in Unit.objects.filter(code__in=[f"{XITANG}-{s}" for s in suffixes])
    }
    grids = list(Grid.objects.filter(code__startswith=XITANG).order_by("code"))
    if "ZFZD" not in units or not grids:
        return 0
    ceiling = timezone.now().replace(microsecond=0)
    if today is not None:
        ceiling = min(ceiling, _at(today, 23))
    today = ceiling.astimezone(SHANGHAI).date()
    rng = random.Random(f"{seed}:enforcement-operations")
    made: list[Any] = []
    with transaction.atomic():
        for theme, start in _schedule(rng, today):
            if (operation := _one(theme, start, units, grids, rng, ceiling)) is not None:
                made.append(operation)
        audit_record(
            actor=None,
            action="joint_operation.demo",
            object_type="geo.division",
            object_id=XITANG,
            object_repr="西塘镇联合执法演示数据",
            detail={"seed": seed, "until": today.isoformat(), "operations": len(made)},
        )
    return len(made)
