"""Inspection plans (执法检查计划) and the stations' rosters (执法站排班): every write, each audited in its transaction.

A unit's yearly plan is split among its officers who hold an enforcement certificate valid for the whole year
(seed 002: 按在岗在编数、执法证持证人数分解执法任务); the twelve monthly plans are derived from it, each officer's share
spread over the months, and moving a share between months keeps the sums. Who plans and keeps the roster: the unit's
head (负责人) or department staff of the unit (`may_manage_plans`).
"""

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.core.scope import scope_of
from grassroots.draws.models import Inspector
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..models import InspectionPlan, PlanShare, Post, RosterShift, Station
from ..models.plans import PostKind, ShiftKind
from ..permissions import is_head

MONTHS = range(1, 13)
TARGET_MAX = 100_000


def may_manage_plans(user: Any, unit: Unit) -> bool:
    """The unit's head, or department staff of the unit (the team's office), plan and keep the roster."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return is_head(user, unit) or (user.role == Role.DEPARTMENT_STAFF and user.unit_id == unit.pk)


def plan_units_visible_to(user: Any) -> QuerySet[Unit]:
    """The units whose plans, rosters and reports the person sees: theirs and those in their region."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Unit.objects.none()
    scope = scope_of(user)
    return Unit.objects.filter(scope.q(region_field="division__code", unit_field="pk"))


def _manage(actor: Any, unit: Unit) -> None:
    if not may_manage_plans(actor, unit):
        raise Forbidden("只有本单位负责人或内勤人员可以编制计划和排班", code="not_permitted")


def period_of(year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, or of one of its months."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# -- certificates ---------------------------------------------------------------------------------------------


def certified_officers(unit: Unit, first: dt.date, last: dt.date) -> QuerySet[Inspector]:
    """The unit's enforcement officers (执法人员名录库, grassroots/draws) whose certificate is valid to `last`."""
    return (
        Inspector.objects.filter(unit=unit, active=True, certificate_valid_to__gte=last)
        .select_related("person")
        .order_by("certificate_no")
    )


def guard_certified(unit: Unit, officers: Sequence[Person], first: dt.date, last: dt.date) -> None:
    """Every officer is in the unit's pool with a certificate valid through the period (行政处罚法 第四十二条)."""
    pool = {i.person_id: i for i in Inspector.objects.filter(person__in=officers, unit=unit, active=True)}
    outside = [p.name for p in officers if p.pk not in pool]
    if outside:
        raise InvalidInput(
            f"以下人员不在本单位执法人员名录库：{'、'.join(outside)}",
            code="officer_not_in_pool",
            details={"persons": outside},
        )
    expired = [p.name for p in officers if pool[p.pk].certificate_valid_to < last]
    if expired:
        raise InvalidInput(
            f"以下人员的执法证在 {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 期间不是全程有效：{'、'.join(expired)}",
            code="officer_certificate_invalid",
            details={"persons": expired, "until": last.isoformat()},
        )


def _targets(shares: Mapping[Person, Any]) -> dict[Person, int]:
    if not shares:
        raise InvalidInput("请至少为一名执法人员分解计划任务", code="plan_shares_required")
    clean: dict[Person, int] = {}
    for officer, value in shares.items():
        try:
            target = int(value)
        except (TypeError, ValueError):
            target = -1
        if target < 0 or target > TARGET_MAX or str(value).strip() != str(target):
            raise InvalidInput(
                f"{officer.name} 的计划检查数应为 0–{TARGET_MAX} 的整数",
                code="plan_target_invalid",
                details={"officer": officer.pk},
            )
        clean[officer] = target
    return clean


# -- yearly and monthly plans ---------------------------------------------------------------------------------


@transaction.atomic
def plan_year_create(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    shares: Mapping[Person, Any],
    note: str = "",
    now: dt.datetime | None = None,
) -> InspectionPlan:
    """编制年度计划: the unit's inspections for `year`, split among officers certified for the whole year."""
    now = now or timezone.now()
    _manage(actor, unit)
    if not 2000 <= year <= 2100:
        raise InvalidInput("年度不正确", code="plan_year_invalid")
    targets = _targets(shares)
    first, last = period_of(year)
    guard_certified(unit, list(targets), first, last)
    if InspectionPlan.objects.filter(unit=unit, year=year, month__isnull=True).exists():
        raise Conflict(f"{unit.name} 已有 {year} 年度计划", code="plan_exists")
    plan = InspectionPlan(
        unit=unit,
        year=year,
        target=sum(targets.values()),
        note=note.strip(),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # a concurrent plan of the same year won
        raise Conflict(f"{unit.name} 已有 {year} 年度计划", code="plan_exists") from exc
    PlanShare.objects.bulk_create(PlanShare(plan=plan, officer=o, target=t) for o, t in targets.items())
    audit_record(
        actor=actor,
        action="inspection_plan.create",
        obj=plan,
        detail={"unit": unit.code, "year": year, "target": plan.target, "officers": len(targets)},
    )
    return plan


@transaction.atomic
def plan_year_revise(
    *, actor: Any, plan: InspectionPlan, shares: Mapping[Person, Any], note: str | None = None
) -> InspectionPlan:
    """Change the year's split, only while its months are not derived yet (after that, move shares between
    months)."""
    _manage(actor, plan.unit)
    if not plan.yearly:
        raise InvalidInput("月度计划由年度计划分解，请调整月度分配", code="plan_not_yearly")
    if plan.months.exists():
        raise Conflict("月度计划已下达，年度分解不能再改；请在月份之间调整", code="plan_months_derived")
    targets = _targets(shares)
    guard_certified(plan.unit, list(targets), *period_of(plan.year))
    plan.shares.all().delete()
    PlanShare.objects.bulk_create(PlanShare(plan=plan, officer=o, target=t) for o, t in targets.items())
    plan.target = sum(targets.values())
    if note is not None:
        plan.note = note.strip()
    plan.updated_at = timezone.now()
    plan.save(update_fields=["target", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="inspection_plan.revise",
        obj=plan,
        detail={"target": plan.target, "officers": len(targets)},
    )
    return plan


def month_split(target: int) -> list[int]:
    """A yearly share over the twelve months: equal parts, the remainder one each to the first months
    (100 → 9 × 4 and 8 × 8)."""
    base, extra = divmod(target, 12)
    return [base + (1 if month <= extra else 0) for month in MONTHS]


@transaction.atomic
def plan_months_derive(
    *, actor: Any, plan: InspectionPlan, now: dt.datetime | None = None
) -> list[InspectionPlan]:
    """下达月度计划: twelve monthly plans from the yearly one, each officer's share spread by `month_split`."""
    now = now or timezone.now()
    _manage(actor, plan.unit)
    if not plan.yearly:
        raise InvalidInput("只能由年度计划分解月度计划", code="plan_not_yearly")
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.months.exists():
        raise Conflict("月度计划已下达", code="plan_months_derived")
    shares = list(plan.shares.select_related("officer"))
    split = {s.officer_id: month_split(s.target) for s in shares}
    months = [
        InspectionPlan(
            unit=plan.unit,
            year=plan.year,
            month=month,
            parent=plan,
            target=sum(parts[month - 1] for parts in split.values()),
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        for month in MONTHS
    ]
    for month_plan in months:
        month_plan.save()
    PlanShare.objects.bulk_create(
        PlanShare(plan=m, officer_id=officer, target=parts[month - 1])
        for month, m in zip(MONTHS, months, strict=True)
        for officer, parts in split.items()
    )
    audit_record(
        actor=actor,
        action="inspection_plan.derive",
        obj=plan,
        detail={"months": 12, "target": plan.target},
    )
    return months


@transaction.atomic
def plan_month_move(
    *, actor: Any, plan: InspectionPlan, officer: Person, from_month: int, to_month: int, count: int
) -> None:
    """调整月度计划: move `count` of an officer's inspections from one month to another; the year's sum is kept,
    and the receiving month must lie within the officer's certificate."""
    _manage(actor, plan.unit)
    if not plan.yearly:
        raise InvalidInput("请在年度计划下调整月度分配", code="plan_not_yearly")
    if from_month == to_month or from_month not in MONTHS or to_month not in MONTHS or count <= 0:
        raise InvalidInput("请选择不同的两个月份和大于 0 的数量", code="plan_move_invalid")
    guard_certified(plan.unit, [officer], *period_of(plan.year, to_month))
    shares = {
        s.plan.month: s
        for s in PlanShare.objects.select_for_update()
        .select_related("plan")
        .filter(plan__parent=plan, officer=officer, plan__month__in=[from_month, to_month])
    }
    source = shares.get(from_month)
    if source is None or source.target < count:
        raise InvalidInput(
            f"{from_month} 月的计划数不足 {count}", code="plan_move_exceeds", details={"month": from_month}
        )
    target = shares.get(to_month) or PlanShare(
        plan=InspectionPlan.objects.get(parent=plan, month=to_month), officer=officer, target=0
    )
    source.target -= count
    target.target += count
    source.save(update_fields=["target"])
    target.save()
    for month_plan in (source.plan, target.plan):
        month_plan.target = month_plan.shares.aggregate(n=Sum("target"))["n"] or 0
        month_plan.updated_at = timezone.now()
        month_plan.save(update_fields=["target", "updated_at"])
    audit_record(
        actor=actor,
        action="inspection_plan.move",
        obj=plan,
        detail={"officer": officer.pk, "from": from_month, "to": to_month, "count": count},
    )


def plan_consistent(plan: InspectionPlan) -> bool:
    """Whether the monthly shares sum to the yearly ones, officer by officer (true while nothing is derived)."""
    months = dict(
        PlanShare.objects.filter(plan__parent=plan)
        .values("officer")
        .annotate(n=Sum("target"))
        .values_list("officer", "n")
    )
    if not months:
        return True
    yearly = dict(plan.shares.values_list("officer", "target"))
    return all(months.get(officer, 0) == target for officer, target in yearly.items()) and set(months) <= set(
        yearly
    )


# -- stations, posts and the roster ---------------------------------------------------------------------------


def _place(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise InvalidInput("经度和纬度须同时填写", code="place_bad_coordinates")


@transaction.atomic
def station_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
) -> Station:
    """设立执法站."""
    _manage(actor, unit)
    name = name.strip()
    if not name:
        raise InvalidInput("请填写站点名称", code="station_name_required")
    _place(lon, lat)
    if Station.objects.filter(unit=unit, name=name).exists():
        raise Conflict(f"已有执法站“{name}”", code="station_exists")
    station = Station.objects.create(
        unit=unit, name=name[:100], address=address.strip()[:300], lon=lon, lat=lat
    )
    audit_record(actor=actor, action="station.create", obj=station, detail={"unit": unit.code})
    return station


@transaction.atomic
def post_create(*, actor: Any, station: Station, name: str, kind: str) -> Post:
    """设岗: a fixed checkpoint or a patrol round of the station."""
    _manage(actor, station.unit)
    name = name.strip()
    if not name:
        raise InvalidInput("请填写岗位名称", code="post_name_required")
    if kind not in PostKind.values:
        raise InvalidInput("请选择岗位类型", code="post_kind_unknown")
    if Post.objects.filter(station=station, name=name).exists():
        raise Conflict(f"{station.name} 已有岗位“{name}”", code="post_exists")
    post = Post.objects.create(station=station, name=name[:100], kind=kind)
    audit_record(
        actor=actor, action="station.post_create", obj=post, detail={"station": station.pk, "kind": kind}
    )
    return post


@transaction.atomic
def roster_assign(
    *,
    actor: Any,
    post: Post,
    officer: Person,
    day: dt.date,
    kind: str,
    now: dt.datetime | None = None,
) -> RosterShift:
    """排班: put an officer of the station's unit, certified on the day, on a post by day or on the night check."""
    now = now or timezone.now()
    unit = post.station.unit
    _manage(actor, unit)
    if kind not in ShiftKind.values:
        raise InvalidInput("请选择班次", code="shift_kind_unknown")
    if not (post.active and post.station.active):
        raise InvalidInput("岗位或执法站已停用", code="post_inactive")
    guard_certified(unit, [officer], day, day)
    shift = RosterShift(post=post, officer=officer, day=day, kind=kind, created_by=actor, created_at=now)
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError as exc:
        raise Conflict(
            f"{officer.name} 在 {day:%Y-%m-%d} 已排{ShiftKind(kind).label}班次", code="shift_taken"
        ) from exc
    audit_record(
        actor=actor,
        action="roster.assign",
        obj=shift,
        detail={"officer": officer.pk, "day": day.isoformat(), "kind": kind, "post": post.pk},
    )
    return shift


@transaction.atomic
def roster_remove(*, actor: Any, shift: RosterShift) -> None:
    """Take a shift off the roster, unless it has been reported on."""
    _manage(actor, shift.post.station.unit)
    if shift.reports.exists():
        raise Conflict("该班次已有巡查上报，不能删除", code="shift_reported")
    audit_record(
        actor=actor,
        action="roster.remove",
        obj=shift,
        detail={"officer": shift.officer_id, "day": shift.day.isoformat(), "kind": shift.kind},
    )
    shift.delete()
