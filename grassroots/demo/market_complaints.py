"""投诉举报核查 in the demo: market complaints of the event history (食品安全, 价格, 假冒伪劣, 特种设备, 消费投诉 in
西塘镇) that 西塘市场监管所 signed for become inspections of the business complained of, arranged when the office
signed and recorded on the next working day, before it fed back. Through the real services under the simulated
clock, like the rest of the year (`market_year.py`); the event and the inspection are linked both ways.

Runs after the event history (`manage.py demo`), where the complaints come from; most turn out unfounded."""

import datetime as dt
import random
from functools import partial

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.draws.models import DeclaredRelation, Inspector
from grassroots.events.models import Assignment
from grassroots.market.choices import InspectionKind

from .market import classify_entities
from .market_checks import CATERING, FOOD_SALES
from .market_inspections import Office, Pool, demo_inspections, demo_items, office_of_xitang
from .market_plan import Life, Target
from .market_year import Year
from .names import DISTRICT_CODE
from .simclock import SimulatedClock, simulated_time

COMPLAINTS = 24  # at most
FOUNDED = 0.15  # the share where the complaint is borne out: a finding and its rectification
# Event type → the trades complained of and the item checked (market_checks.ITEMS).
BY_TYPE: dict[str, tuple[frozenset[str], int]] = {
    "SC0101": (CATERING, 2),
    "SC0102": (FOOD_SALES, 1),
    "SC0103": (CATERING, 2),
    "SC0201": (FOOD_SALES | CATERING | {"O8010", "O8111"}, 5),
    "SC0401": (frozenset({"F5211", "F5123", "C1810", "E4910"}), 8),
    "SC0402": (frozenset({"C3311", "F5212", "O8111"}), 4),
    "SC0501": (FOOD_SALES | {"O8010", "O8111", "F5251"}, 5),
}


def build_demo_complaint_inspections(*, seed: int, now: dt.datetime | None = None) -> int:
    """How many were made; none without the year's inspections, or if they are there already."""
    office = office_of_xitang()
    inspections = demo_inspections()
    if (
        office is None
        or not demo_items().exists()
        or inspections.filter(kind=InspectionKind.COMPLAINT).exists()
    ):
        return 0
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(f"{seed}:market-complaints")
    signed = (
        Assignment.objects.filter(unit=office.office, signed_at__isnull=False, signed_at__lt=now)
        .select_related("event", "event__event_type")
        .order_by("signed_at", "pk")
    )
    rows = [a for a in signed if a.event.event_type.code in BY_TYPE]
    rows = sorted(rng.sample(rows, min(COMPLAINTS, len(rows))), key=lambda a: (a.signed_at, a.pk))
    if not rows:
        return 0
    with transaction.atomic():
        clock = SimulatedClock(now)
        with simulated_time(clock):
            year = Year(office=office, pool=load_pool(office), rng=rng, clock=clock, now=now)
            lives = [life for a in rows if (life := _life(year, a)) is not None]
            year.play(lives)
        made = [life for life in lives if life.inspection is not None]
        classify_entities(sorted({life.target.entity.pk for life in made}))
        audit_record(
            actor=None,
            action="demo.market_complaints",
            object_type="geo.division",
            object_id=DISTRICT_CODE,
            object_repr="市场监管演示投诉举报核查",
            detail={"seed": seed, "inspections": len(made)},
        )
    return len(made)


def _life(year: Year, assignment: Assignment) -> Life | None:
    """The inspection of the business nearest the complaint among those of its trades, or None when the office
    fed back before a visit could be recorded."""
    event, signed_at = assignment.event, assignment.signed_at
    assert signed_at is not None  # chosen for it
    signed = timezone.localdate(signed_at)
    if signed not in year.index:
        return None
    day = year.index[signed] + 1
    fed_back = assignment.fed_back_at
    if fed_back is not None and year.index.get(timezone.localdate(fed_back), day + 1) <= day:
        return None
    trades, item = BY_TYPE[event.event_type.code]
    targets = [t for t in year.targets if t.trade in trades] or year.targets
    target = _nearest(year.rng, targets, event.lon, event.lat)
    life = Life(target, InspectionKind.COMPLAINT, [item], year.inspectors_for(day, target), day, event=event)
    if year.rng.random() < FOUNDED:
        life.problems = year.problems_for(life, 1)
        year.fate(life)
    life.not_found = not life.problems and year.rng.random() < 0.05
    arranged = signed_at + dt.timedelta(minutes=year.rng.randint(20, 90))
    year.at(arranged, partial(year.arrange, life))
    return life


def _nearest(rng: random.Random, targets: list[Target], lon: float | None, lat: float | None) -> Target:
    if lon is None or lat is None:
        return rng.choice(targets)
    by_distance = sorted(
        targets, key=lambda t: ((t.entity.lon or 0) - lon) ** 2 + ((t.entity.lat or 0) - lat) ** 2
    )
    return rng.choice(by_distance[:3])


def load_pool(office: Office) -> Pool:
    """The item list and the inspector pool as `market_inspections.build_pool` left them."""
    items = {int(item.code.rsplit("SJ", 1)[1]): item for item in demo_items()}
    inspectors = Inspector.objects.filter(active=True).select_related("person").order_by("pk")
    pool = Pool(
        items=items,
        office=list(inspectors.filter(unit=office.office)),
        squad=list(inspectors.filter(unit=office.squad)),
    )
    for entity, person in DeclaredRelation.objects.filter(
        inspector__in=pool.inspectors, target_kind="market.entity"
    ).values_list("target_id", "inspector__person_id"):
        if entity.isdigit():
            pool.relations.setdefault(int(entity), set()).add(person)
    return pool
