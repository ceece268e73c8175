"""A year of 市场监管 at 西塘市场监管所 in the demo (DOMAIN.md §7; seed 000: 65 problems found, ¥200,000 in fines;
seed 002: random inspections): the published item list and the inspector pool with declared relations (一单两库),
two published 双随机 plans and a current one drawn and partly recorded, and about 300 routine, campaign and random
inspections with their findings, re-checks and penalties. Built with the market entities (`manage.py demo`); the
complaint checks (投诉举报核查) follow the event history (`market_complaints.py`).

Every record goes through the real services (`grassroots.draws.services`, `grassroots.market.services`) under the
simulated clock (`simclock.py`), so history rows, clocks, audit rows, digests and `verify_draw` are what real use
leaves behind. `market_plan.py` plans the year, `market_year.py` runs it; `market_checks.py` holds what is checked
and found.
"""

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.draws.models import Draw, DrawPlan, InspectionItem, Inspector, PoolSnapshot
from grassroots.draws.services import inspector_register, item_create, relation_declare
from grassroots.draws.services import plans as plan_services
from grassroots.market.choices import EntityStatus, FindingStatus, InspectionStatus
from grassroots.market.models import Finding, Inspection, InspectionPhoto, MarketEntity, Penalty
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.models import Clock, Link

from .identities import IdentityMaker
from .market import classify_entities, demo_entities
from .market_checks import ITEMS
from .names import DISTRICT_CODE
from .simclock import SimulatedClock, simulated_time

XITANG = "330421102"
LOGIN = "inspector"  # the demo's inspector login (综合行政执法西塘中队), in the joint plans' pool
OFFICE_INSPECTORS = 11  # the district build gives the office 3; the pool also holds 2 of the squad
FIELDS = ("食品安全", "特种设备", "价格监督", "广告监管", "计量", "产品质量", "药品", "企业信用")
RELATIONS = ("近亲属经营该店", "三年内曾在该企业任职", "与经营者存在经济往来")


@dataclass
class Office:
    """Who does what: 西塘市场监管所 (its staff member keeps the lists, arranges, runs the draws, records
    penalties), the enforcement squad that joins the joint plans (its staff member registers its inspectors), and
    the demo login among the squad's inspectors."""

    office: Unit
    squad: Unit
    manager: Person
    squad_manager: Person | None
    login: Person | None


@dataclass
class Pool:
    """一单两库 as built: items by their number in `market_checks.ITEMS`, the inspectors of each unit."""

    items: dict[int, InspectionItem]
    office: list[Inspector]
    squad: list[Inspector]
    relations: dict[int, set[int]] = field(default_factory=dict)  # entity id → related inspector persons

    @property
    def inspectors(self) -> list[Inspector]:
        return self.office + self.squad


@dataclass
class InspectionsResult:
    items: int = 0
    inspectors: int = 0
    plans: int = 0
    published: int = 0
    inspections: int = 0
    open_tasks: int = 0
    findings: int = 0
    open_findings: int = 0
    late_findings: int = 0
    penalties: int = 0
    fines: Decimal = Decimal(0)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"市场监管：抽查事项 {self.items} 项、执法人员 {self.inspectors} 人，双随机抽查计划 {self.plans} 个"
            f"（已公示 {self.published} 个）；近一年检查 {self.inspections} 次（待检查 {self.open_tasks} 次），"
            f"发现问题 {self.findings} 项（整改中 {self.open_findings} 项、逾期整改 {self.late_findings} 项），"
            f"行政处罚 {self.penalties} 件、罚没 {self.fines:,.0f} 元，用时 {self.seconds:.1f} 秒"
        )


def demo_items() -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(unit__division__code__startswith=DISTRICT_CODE)


def demo_plans() -> QuerySet[DrawPlan]:
    return DrawPlan.objects.filter(
        pk__in=DrawPlan.objects.filter(units__division__code__startswith=DISTRICT_CODE).values("pk")
    )


def demo_inspections() -> QuerySet[Inspection]:
    return Inspection.objects.filter(entity__in=demo_entities())


def build_demo_inspections(*, seed: int, now: dt.datetime | None = None) -> InspectionsResult:
    """The year up to `now` (default: now); nothing if the demo already has its item list or no market office."""
    result = InspectionsResult()
    office = office_of_xitang()
    if office is None or demo_items().exists() or not demo_entities().exists():
        return result
    from .market_year import Year  # the year's plan imports this module's Pool and Office

    started = time.monotonic()
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(f"{seed}:market-inspections")
    with transaction.atomic():
        clock = SimulatedClock(now - dt.timedelta(days=380))
        with simulated_time(clock), seeded_draws(random.Random(f"{seed}:draw-seeds")):
            pool = build_pool(office, rng, today=timezone.localdate(now))
            Year(office=office, pool=pool, rng=rng, clock=clock, now=now).run()
        classify_entities(list(demo_entities().values_list("pk", flat=True)))
        result = _tally(seconds=time.monotonic() - started)
        audit_record(
            actor=None,
            action="demo.market_inspections",
            object_type="geo.division",
            object_id=DISTRICT_CODE,
            object_repr="市场监管演示检查",
            detail={"seed": seed, "until": now.isoformat(), **_counts(result)},
        )
    return result


def office_of_xitang() -> Office | None:
    office = Unit.objects.filter(code=f"{XITANG}-SCJG").first()
    squad = Unit.objects.filter(code=f"{XITANG}-ZFZD").first()
    staff = Person.objects.filter(role=Role.DEPARTMENT_STAFF, is_active=True).order_by("pk")
    manager = staff.filter(unit=office).first() if office else None
    if office is None or squad is None or manager is None:
        return None
    login = Person.objects.filter(username=LOGIN, role=Role.INSPECTOR, is_active=True).first()
    squad_manager = staff.filter(unit=squad).first()
    return Office(office=office, squad=squad, manager=manager, squad_manager=squad_manager, login=login)


@contextmanager
def seeded_draws(rng: random.Random) -> Iterator[None]:
    """The demo's draws take their secret seeds from the demo's seed (a real plan's come from `secrets`), so the
    same --seed draws the same targets; commitments, digests and `verify_draw` work as for any draw."""
    original = plan_services.secrets
    setattr(plan_services, "secrets", _SeedSource(rng, original))  # noqa: B010
    try:
        yield
    finally:
        setattr(plan_services, "secrets", original)  # noqa: B010


class _SeedSource:
    def __init__(self, rng: random.Random, original: Any) -> None:
        self.rng, self.original = rng, original

    def token_hex(self, nbytes: int = 32) -> str:
        return self.rng.randbytes(nbytes).hex()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


# -- 一单两库 -------------------------------------------------------------------------------------------------


def build_pool(office: Office, rng: random.Random, *, today: dt.date) -> Pool:
    """Publish the item list, register the office's 11 inspectors (8 of them new to the demo) and two of the squad's,
    the demo login first, and declare a few relations (回避). Dates are the simulated clock's: a year ago."""
    actor = office.manager
    items: dict[int, InspectionItem] = {}
    for spec in ITEMS:
        item = item_create(
            actor=actor,
            code=f"{XITANG}-SJ{spec.number:02d}",
            name=spec.name,
            unit=office.office,
            target_kind="market.entity",
            legal_basis=spec.basis,
            checklist=[point.text for point in spec.points],
        )
        items[spec.number] = item
    people = list(
        Person.objects.filter(unit=office.office, role=Role.INSPECTOR, is_active=True).order_by("pk")
    )
    people += _new_inspectors(office, rng, OFFICE_INSPECTORS - len(people))
    squad = list(Person.objects.filter(unit=office.squad, role=Role.INSPECTOR, is_active=True).order_by("pk"))
    if office.login is not None:
        squad = [office.login, *[p for p in squad if p.pk != office.login.pk]]
    # One certificate has expired (the draw's frozen pool shows him excluded), one expires within the month.
    valid = [today + dt.timedelta(days=rng.randint(200, 1500)) for _ in people]
    valid[2] = today - dt.timedelta(days=40)
    valid[-1] = today + dt.timedelta(days=25)
    registered = [
        inspector_register(
            actor=actor,
            person=person,
            certificate_no=f"ZF{XITANG}{n:03d}",
            valid_to=valid_to,
            unit=office.office,
            fields=sorted(rng.sample(FIELDS, rng.randint(2, 4)), key=FIELDS.index),
        )
        for n, (person, valid_to) in enumerate(zip(people, valid, strict=True), start=1)
    ]
    joined = [
        inspector_register(
            actor=office.squad_manager,
            person=person,
            certificate_no=f"ZF{XITANG}{n:03d}",
            valid_to=today + dt.timedelta(days=rng.randint(400, 1500)),
            unit=office.squad,
            fields=["广告监管", "价格监督", "市容管理"],
        )
        for n, person in enumerate(squad[:2], start=len(people) + 1)
    ]
    pool = Pool(items=items, office=registered, squad=joined)
    entities = list(
        MarketEntity.objects.filter(region_code__startswith=XITANG, status=EntityStatus.OPERATING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for inspector, reason in zip(rng.sample(registered, len(RELATIONS)), RELATIONS, strict=True):
        entity = rng.choice(entities)
        relation_declare(
            actor=inspector.person,
            inspector=inspector,
            target_kind="market.entity",
            target_id=str(entity),
            reason=reason,
        )
        pool.relations.setdefault(entity, set()).add(inspector.person_id)
    return pool


def _new_inspectors(office: Office, rng: random.Random, count: int) -> list[Person]:
    """Inspectors of the office beyond the district build's, with the demo password (the staff's hash)."""
    prefix = office.office.code.lower()
    taken = Person.objects.filter(username__startswith=f"{prefix}-").count()
    identities = IdentityMaker(rng)
    people = []
    for n in range(taken + 1, taken + 1 + max(count, 0)):
        identity = identities.make(min_age=26, max_age=55)
        people.append(
            Person(
                username=f"{prefix}-{n}",
                name=identity.name,
                phone=identity.phone,
                id_number=identity.id_number,
                role=Role.INSPECTOR,
                unit=office.office,
                division=office.office.division,
                region_code=XITANG,
                password=office.manager.password,
            )
        )
    Person.objects.bulk_create(people)
    return list(Person.objects.filter(username__in=[p.username for p in people]).order_by("pk"))


# -- counting and deleting ------------------------------------------------------------------------------------


def _tally(*, seconds: float) -> InspectionsResult:
    inspections = demo_inspections()
    findings = Finding.objects.filter(inspection__in=inspections)
    penalties = Penalty.objects.filter(entity__in=demo_entities())
    plans = demo_plans()
    return InspectionsResult(
        items=demo_items().count(),
        inspectors=Inspector.objects.filter(unit__division__code__startswith=DISTRICT_CODE).count(),
        plans=plans.count(),
        published=plans.filter(status="published").count(),
        inspections=inspections.count(),
        open_tasks=inspections.filter(status=InspectionStatus.ASSIGNED).count(),
        findings=findings.count(),
        open_findings=findings.filter(status=FindingStatus.OPEN).count(),
        late_findings=findings.filter(late=True).count(),
        penalties=penalties.count(),
        fines=penalties.aggregate(n=Sum("amount"))["n"] or Decimal(0),
        seconds=seconds,
    )


def _counts(result: InspectionsResult) -> dict[str, Any]:
    return {
        "plans": result.plans,
        "inspections": result.inspections,
        "findings": result.findings,
        "penalties": result.penalties,
        "fines": str(result.fines),
    }


def delete_demo_inspections() -> None:
    """Delete the demo's inspections (with their history, findings and photos), penalties, draw plans with their
    draws and frozen pools, the clocks and links of both, the inspector pool and the item list. Audit rows stay."""
    inspections = demo_inspections()
    ids = list(inspections.values_list("pk", flat=True))
    files = sorted(set(InspectionPhoto.objects.filter(inspection_id__in=ids).values_list("file", flat=True)))
    Penalty.objects.filter(Q(entity__in=demo_entities()) | Q(inspection_id__in=ids)).delete()
    Clock.objects.filter(workflow="inspection", object_id__in=ids).delete()
    Link.objects.filter(
        Q(source_workflow="inspection", source_id__in=ids)
        | Q(target_workflow="inspection", target_id__in=ids)
    ).delete()
    inspections.delete()
    plans = demo_plans()
    draws = Draw.objects.filter(plan__in=plans)
    Clock.objects.filter(workflow=plan_services.CLOCK_WORKFLOW, object_id__in=draws.values("pk")).delete()
    draws.delete()
    PoolSnapshot.objects.filter(plan__in=plans).delete()
    plans.delete()
    Inspector.objects.filter(unit__division__code__startswith=DISTRICT_CODE).delete()  # and their relations
    demo_items().delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
