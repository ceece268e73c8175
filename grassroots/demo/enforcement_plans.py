"""The demo's plans and daily reports of 综合行政执法西塘中队 (seed 002: plans from the certified staff, each day's
inspections reported within 24 hours, four stations with fixed posts and night checks).

Its officers are registered in the enforcement-officer pool where the market demo has not already; the squad's staff
member makes the yearly plans of last year and this one through the services and hands down their months; four
stations each get a fixed checkpoint and a patrol; the roster puts every officer on a day shift each working day and
each station on a night check twice a week, and a year of reports follows, about 3% of them late and 1% never sent.
The same seed gives the same rows; shifts and reports are written in bulk, with one summary audit row.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.draws.models import Inspector
from grassroots.draws.services import inspector_register
from grassroots.enforcement.models import DailyReport, InspectionPlan, Post, RosterShift, Station
from grassroots.enforcement.models.plans import PostKind, ShiftKind
from grassroots.enforcement.services.daily_reports import report_due_at
from grassroots.enforcement.services.plans import plan_months_derive, plan_year_create
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI, get_calendar

from .names import DISTRICT_CODE

XITANG = "330421102"
SQUAD = f"{XITANG}-ZFZD"
# Four stations (seed 002: 4 个综合执法站, 固定守卡与流动检查相结合); each a checkpoint and a patrol round.
STATIONS = (
    ("钢材市场执法站", "西塘镇钢材市场东门", "市场东门卡口", "市场周边巡查"),
    ("古镇景区执法站", "西塘镇古镇景区北入口", "景区北入口岗", "景区沿河巡查"),
    ("汽车站执法站", "西塘镇汽车站广场", "车站广场岗", "车站周边巡查"),
    ("工业园区执法站", "西塘镇工业园区管委会旁", "园区主干道卡口", "园区企业巡查"),
)
NIGHT_WEEKDAYS = (1, 4)  # 夜间设卡夜查 on Tuesdays and Fridays
LATE_SHARE = 0.03
MISSING_SHARE = 0.01
PLACES = ("沿街商铺", "农贸市场", "建筑工地", "餐饮店", "废品收购站", "停车场", "河道沿岸", "广告牌")


@dataclass
class PlansResult:
    plans: int = 0
    stations: int = 0
    shifts: int = 0
    reports: int = 0
    late: int = 0

    def line(self) -> str:
        return (
            f"综合执法计划 {self.plans} 个（含月度），执法站 {self.stations} 个，排班 {self.shifts} 班，"
            f"每日巡查上报 {self.reports} 次（逾期 {self.late} 次）"
        )


def demo_plan_units() -> Q:
    return Q(unit__division__code__startswith=DISTRICT_CODE)


def delete_demo_enforcement_plans() -> None:
    """Reports, roster, stations and plans of the demo district's units (they point at its people and units)."""
    DailyReport.objects.filter(demo_plan_units()).delete()
    RosterShift.objects.filter(post__station__unit__division__code__startswith=DISTRICT_CODE).delete()
    Station.objects.filter(demo_plan_units()).delete()
    InspectionPlan.objects.filter(demo_plan_units(), parent__isnull=False).delete()
    InspectionPlan.objects.filter(demo_plan_units()).delete()


def _officers(squad: Unit, manager: Person, rng: random.Random, today: dt.date) -> list[Person]:
    """The squad's inspectors, each in the pool (registered here where the market demo did not)."""
    people = list(Person.objects.filter(unit=squad, role=Role.INSPECTOR, is_active=True).order_by("pk"))
    registered = set(Inspector.objects.filter(person__in=people).values_list("person_id", flat=True))
    for n, person in enumerate(people, start=1):
        if person.pk not in registered:
            inspector_register(
                actor=manager,
                person=person,
                certificate_no=f"ZFZD{XITANG}{n:03d}",
                valid_to=today + dt.timedelta(days=rng.randint(400, 1500)),
                unit=squad,
                fields=["市容管理", "违法建设", "环境保护"],
            )
    year_end = dt.date(today.year, 12, 31)
    return [
        i.person
        for i in Inspector.objects.filter(
            person__in=people, unit=squad, active=True, certificate_valid_to__gte=year_end
        ).select_related("person")
    ]


def _posts(squad: Unit) -> list[tuple[Post, Post]]:
    pairs = []
    for name, address, fixed, patrol in STATIONS:
        station = Station.objects.create(unit=squad, name=name, address=address)
        pairs.append(
            (
                Post.objects.create(station=station, name=fixed, kind=PostKind.FIXED),
                Post.objects.create(station=station, name=patrol, kind=PostKind.PATROL),
            )
        )
    return pairs


def build_demo_enforcement_plans(*, seed: int, now: dt.datetime | None = None) -> PlansResult:
    """Last year's and this year's plans, the stations and a year of roster and reports up to `now`; nothing if
    the squad already has plans or is missing."""
    result = PlansResult()
    squad = Unit.objects.filter(code=SQUAD).first()
    manager = (
        Person.objects.filter(unit=squad, role=Role.DEPARTMENT_STAFF, is_active=True).order_by("pk").first()
    )
    if squad is None or manager is None or InspectionPlan.objects.filter(unit=squad).exists():
        return result
    now = (now or timezone.now()).replace(microsecond=0)
    today = now.astimezone(SHANGHAI).date()
    rng = random.Random(f"{seed}:enforcement-plans")
    with transaction.atomic():
        officers = _officers(squad, manager, random.Random(f"{seed}:enforcement-pool"), today)
        if not officers:
            return result
        for year in (today.year - 1, today.year):
            # About 250 working days at seven or eight places a day, rounded to the dozen.
            shares = {o: 12 * rng.randint(140, 160) for o in officers}
            plan = plan_year_create(
                actor=manager, unit=squad, year=year, shares=shares, note="按在岗持证人数分解", now=now
            )
            plan_months_derive(actor=manager, plan=plan, now=now)
        posts = _posts(squad)
        shifts, reports = _roster_and_reports(squad, manager, officers, posts, rng, today, now)
        result = PlansResult(
            plans=InspectionPlan.objects.filter(unit=squad).count(),
            stations=len(posts),
            shifts=shifts,
            reports=reports,
            late=DailyReport.objects.filter(unit=squad, late=True).count(),
        )
        audit_record(
            actor=None,
            action="demo.enforcement_plans",
            object_type="org.unit",
            object_id=str(squad.pk),
            object_repr=squad.name,
            detail={"seed": seed, "until": now.isoformat(), **result.__dict__},
        )
    return result


def _roster_and_reports(
    squad: Unit,
    manager: Person,
    officers: list[Person],
    posts: list[tuple[Post, Post]],
    rng: random.Random,
    today: dt.date,
    now: dt.datetime,
) -> tuple[int, int]:
    calendar = get_calendar()
    flat = [post for pair in posts for post in pair]
    shifts: list[RosterShift] = []
    for offset in range(365, 0, -1):
        day = today - dt.timedelta(days=offset)
        if calendar.is_workday(day):
            for n, officer in enumerate(officers):
                post = flat[(n + day.toordinal()) % len(flat)]
                shifts.append(_shift(post, officer, day, ShiftKind.DAY, manager, now))
        if day.weekday() in NIGHT_WEEKDAYS:
            for n, (fixed, _patrol) in enumerate(posts):
                officer = officers[(n + day.toordinal()) % len(officers)]
                shifts.append(_shift(fixed, officer, day, ShiftKind.NIGHT, manager, now))
    RosterShift.objects.bulk_create(shifts, batch_size=1000)
    saved = RosterShift.objects.filter(post__station__unit=squad).order_by(
        "day", "kind", "post_id", "officer_id"
    )
    rows = []
    for shift in saved:
        chance = rng.random()
        if chance < MISSING_SHARE:
            continue
        due = report_due_at(shift.day)
        day_end = dt.datetime.combine(shift.day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
        hours = rng.uniform(25, 60) if chance < MISSING_SHARE + LATE_SHARE else rng.uniform(0.5, 20)
        submitted = (day_end + dt.timedelta(hours=hours)).replace(microsecond=0)
        if submitted > now:
            continue
        checked = rng.randint(2, 8) if shift.kind == ShiftKind.NIGHT else rng.randint(4, 11)
        problems = min(checked, rng.choice((0, 0, 0, 1, 1, 2)))
        rows.append(
            DailyReport(
                officer_id=shift.officer_id,
                unit=squad,
                day=shift.day,
                shift=shift,
                checked=checked,
                places="\n".join(rng.sample(PLACES, min(3, checked))),
                problems_found=problems,
                problems="占道经营、乱堆放，已当场责令改正" if problems else "",
                submitted_at=submitted,
                due_at=due,
                late=submitted > due,
            )
        )
    DailyReport.objects.bulk_create(rows, batch_size=1000)
    return len(shifts), len(rows)


def _shift(
    post: Post, officer: Person, day: dt.date, kind: str, manager: Person, now: dt.datetime
) -> RosterShift:
    return RosterShift(post=post, officer=officer, day=day, kind=kind, created_by=manager, created_at=now)
