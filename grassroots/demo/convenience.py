"""The demo district's convenience services (便民服务): the published catalogue, a service centre per township with
its windows, and 90 days of applications at the seeds' rates, written in bulk (DOMAIN.md §7, issue 14).

`build_demo_catalogue` runs with the district; `build_demo_applications` afterwards (it reads the district from
the database), before the event history. The applications are realised by `convenience_lives` as the services
would have left them; only their audit rows are left out (one summary row instead).
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.convenience.choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    REMOTE_CHANNELS,
    RectificationStatus,
    TownshipType,
)
from grassroots.convenience.models import (
    Application,
    ApplicationHistory,
    CorrectionNotice,
    InPersonVisit,
    Rating,
    Rectification,
    ServiceCentre,
    ServiceItem,
    ServiceMaterial,
    Window,
)
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.models import Clock, ClockPause, Link
from grassroots.workflow.publishing import publish

from .catalogue_data import CENTRAL_SIZE, SEARCH_WORDS, ItemSpec, catalogue
from .convenience_lives import ItemRef, Life, Place, Plan, Realiser
from .convenience_plans import XITANG, Planner, profile_of
from .identities import IdentityMaker
from .names import DISTRICT_CODE, WINDOWS

DAYS = 90
BATCH = 2000


def township_types(townships: list[Division]) -> dict[str, str]:
    """Streets and 西塘镇 are central towns; the others are developing or ecological in turn."""
    types: dict[str, str] = {}
    turn = 0
    for township in sorted(townships, key=lambda t: t.code):
        if township.kind == DivisionKind.STREET or township.code == XITANG:
            types[township.code] = TownshipType.CENTRAL
        else:
            types[township.code] = (TownshipType.DEVELOPING, TownshipType.ECOLOGICAL)[turn % 2]
            turn += 1
    return types


def _demo_items() -> Q:
    return Q(code__regex=rf"^[A-Z]{{2}}{DISTRICT_CODE}\d{{3}}$")


def build_demo_catalogue(*, seed: int, valid_from: dt.datetime | None = None) -> dict[str, int]:
    """Publish the catalogue (each item through `publish`) and open a centre with windows in every township."""
    valid_from = valid_from or timezone.now() - dt.timedelta(days=DAYS + 30)
    specs = catalogue()
    items = ServiceItem.objects.bulk_create(_item(spec) for spec in specs)
    ServiceMaterial.objects.bulk_create(
        ServiceMaterial(item=item, order=n, name=name, form=form, need=need)
        for item, spec in zip(items, specs, strict=True)
        for n, (name, form, need) in enumerate(spec.materials, start=1)
    )
    for item in items:
        publish(item, actor=None, valid_from=valid_from)
    rng = random.Random(f"{seed}:centres")
    townships = list(
        Division.objects.filter(
            code__startswith=DISTRICT_CODE, level=DivisionLevel.TOWNSHIP, valid_to__isnull=True
        )
    )
    types = township_types(townships)
    units = {u.division_id: u for u in Unit.objects.filter(code__endswith="-BMFW", division__in=townships)}
    centres: list[ServiceCentre] = []
    windows: list[Window] = []
    for township in sorted(townships, key=lambda t: t.code):
        centre = ServiceCentre(
            township=township,
            unit=units[township.pk],
            name=f"{township.name}便民服务中心",
            township_type=types[township.code],
            address=f"{township.name}人民政府一楼",
            phone=f"0573-84{rng.randrange(10**6):06d}",
        )
        centres.append(centre)
        n = {"central": 6, "developing": 4}.get(centre.township_type, 3)
        names = [*WINDOWS[: n - 1], WINDOWS[-1]]
        windows.extend(Window(centre=centre, number=i, name=name) for i, name in enumerate(names, start=1))
    ServiceCentre.objects.bulk_create(centres)
    Window.objects.bulk_create(windows)
    return {"service_centres": len(centres), "service_windows": len(windows), **catalogue_counts()}


def _item(spec: ItemSpec) -> ServiceItem:
    return ServiceItem(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        department=spec.department,
        deciding_level=spec.deciding_level,
        office_suffix=spec.office_suffix,
        statutory_limit=Decimal(spec.statutory),
        promised_limit=Decimal(spec.promised),
        channels=list(spec.channels),
        required_visits=spec.required_visits,
        at_most_once=spec.at_most_once,
        zero_visit=spec.zero_visit,
        no_meeting=spec.no_meeting,
        in_central=spec.in_central,
        in_developing=spec.in_developing,
        in_ecological=spec.in_ecological,
        at_village=spec.at_village,
        keywords=f"{spec.name} {SEARCH_WORDS.get(spec.name, '')}".strip()[:200],
        legal_basis=f"《浙江省保障“最多跑一次”改革规定》；{spec.department}权责清单",
    )


def catalogue_counts() -> dict[str, int]:
    items = ServiceItem.objects.in_force().filter(_demo_items())
    return {
        "items_central": items.filter(in_central=True).count(),
        "items_developing": items.filter(in_developing=True).count(),
        "items_ecological": items.filter(in_ecological=True).count(),
        "items_village": items.filter(at_village=True).count(),
    }


def catalogue_line() -> str:
    """The lists in one line, as the demo command prints them."""
    c = catalogue_counts()
    lists = f"{c['items_central']}/{c['items_developing']}/{c['items_ecological']}"
    return f"便民服务：事项 {lists}（村级 {c['items_village']}）"


def demo_applications() -> QuerySet[Application]:
    return Application.objects.filter(centre__township__code__startswith=DISTRICT_CODE)


# -- applications -------------------------------------------------------------------------------------------


@dataclass
class ConvenienceResult:
    applications: int = 0
    by_township: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: float = 0.0


def build_demo_applications(
    *, seed: int, until: dt.datetime | None = None, days: int = DAYS
) -> ConvenienceResult:
    """`days` (90) of applications up to `until` (default now) in every demo centre; nothing if there are some.
    (bench/bench_service.py builds a year.)"""
    now = (until or timezone.now()).replace(second=0, microsecond=0)
    result = ConvenienceResult()
    if demo_applications().exists():
        return result
    calendar = get_calendar()
    places, lists = _places(now)
    unit_names = dict(Unit.objects.filter(code__startswith=DISTRICT_CODE).values_list("pk", "name"))
    realiser = Realiser(calendar, now, unit_names)
    identities = IdentityMaker(random.Random(f"{seed}:applicants"))
    with transaction.atomic():
        pk = (Application.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
        lives: list[Life] = []
        by_name: dict[str, list[Life]] = {}
        for place, centre in places:
            rng = random.Random(f"{seed}:convenience:{place.code}")
            planner = Planner(calendar, now, days, rng, identities)
            profile = profile_of(place.code, centre.township_type)
            plans = planner.plans(place, lists[centre.township_type], profile)
            township = [realiser.realise(p, place, pk + i) for i, p in enumerate(plans)]
            _settle_open(realiser, rng, township, profile.exact)
            if profile.exact is not None:
                figures = tally(township)
                if (figures["accepted"], figures["finished"]) != profile.exact:
                    raise RuntimeError(f"{centre.township.name}：办件数未达到种子数据 {profile.exact}")
            pk += len(plans)
            lives.extend(township)
            by_name[centre.township.name] = township
        _every_rectification_state(realiser, lives)
        for name, township in by_name.items():
            result.by_township[name] = tally(township)
        _write(lives)
        result.applications = len(lives)
        audit_record(
            actor=None,
            action="demo.convenience",
            object_type="geo.division",
            object_id=DISTRICT_CODE,
            object_repr="便民服务演示办件",
            detail={"seed": seed, "applications": len(lives), "until": now.isoformat()},
        )
    return result


def _places(
    now: dt.datetime,
) -> tuple[list[tuple[Place, ServiceCentre]], dict[str, list[tuple[ItemRef, float]]]]:
    centres = list(
        ServiceCentre.objects.filter(township__code__startswith=DISTRICT_CODE)
        .select_related("township")
        .order_by("township__code")
    )
    county = dict(Unit.objects.filter(code__startswith=f"{DISTRICT_CODE}-").values_list("name", "pk"))
    position = {spec.code: n for n, spec in enumerate(catalogue())}
    refs: list[tuple[ServiceItem, ItemRef]] = []
    for item in ServiceItem.objects.in_force(now).filter(_demo_items()).prefetch_related("materials"):
        amount = item.promised_limit or item.statutory_limit
        assert amount is not None and item.statutory_limit is not None
        ref = ItemRef(
            pk=item.pk,
            code=item.code,
            name=item.name,
            statutory=float(item.statutory_limit),
            promised=float(amount),
            limit_source=item.limit_label(amount, item.limit_unit or LimitUnit.WORKING_DAYS),
            zero_visit=item.zero_visit,
            at_most_once=item.at_most_once,
            at_village=item.at_village,
            office=item.office_suffix,
            county_unit=county.get(item.department) if item.deciding_level == "district" else None,
            materials=tuple((m.pk, m.name, m.need) for m in item.materials.all()),
        )
        refs.append((item, ref))
    refs.sort(key=lambda r: position.get(r[1].code, CENTRAL_SIZE))

    def weight(code: str) -> float:
        n = position.get(code, CENTRAL_SIZE)
        return 4.0 if n < 30 else 2.0 if n < 79 else 1.0

    lists = {
        kind: [(ref, weight(ref.code)) for item, ref in refs if item.on_list(kind)]
        for kind in TownshipType.values
    }
    windows: dict[int, list[int]] = defaultdict(list)
    for centre_id, pk in (
        Window.objects.filter(centre__in=centres).order_by("number").values_list("centre_id", "pk")
    ):
        windows[centre_id].append(pk)
    township_ids = [c.township_id for c in centres]
    units = Unit.objects.filter(division_id__in=township_ids).values_list("division_id", "code", "pk")
    offices: dict[int, dict[str, int]] = defaultdict(dict)
    for division_id, code, pk in units:
        offices[division_id][code.rsplit("-", 1)[1]] = pk
    people = Person.objects.filter(is_active=True).order_by("pk")
    staff: dict[int, list[int]] = defaultdict(list)
    for unit_id, pk in people.filter(unit__code__startswith=DISTRICT_CODE).values_list("unit_id", "pk"):
        staff[unit_id].append(pk)
    agents: dict[int | None, list[tuple[int, int, str]]] = defaultdict(list)
    for pk, division_id, code, parent in people.filter(
        role=Role.VILLAGE_STAFF, division__parent_id__in=township_ids
    ).values_list("pk", "division_id", "division__code", "division__parent_id"):
        agents[parent].append((pk, division_id, code))
    places = []
    for centre in centres:
        clerks = people.filter(role=Role.WINDOW_CLERK, unit_id=centre.unit_id).values_list("pk", flat=True)
        place = Place(
            centre_id=centre.pk,
            centre_unit_id=centre.unit_id,
            code=centre.township.code,
            windows=tuple(windows[centre.pk]),
            clerks=tuple(clerks),
            agents=tuple(agents[centre.township_id]),
            offices=offices[centre.township_id],
            staff={unit: tuple(pks) for unit, pks in staff.items()},
        )
        places.append((place, centre))
    return places, lists


def _between(realiser: Realiser, rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in working time between start and end (a wall-clock one when no working time lies between)."""
    cal = realiser.cal
    a, b = cal.working_clock(start), cal.working_clock(end)
    if b - a > 120:
        return cal.moment_at(a + int(rng.uniform(0.2, 0.9) * (b - a)))
    return start + (end - start) * rng.uniform(0.2, 0.9)


def _settle_open(
    realiser: Realiser, rng: random.Random, lives: list[Life], exact: tuple[int, int] | None
) -> None:
    """No application is left open past its limit (the command room would have had it as a supervision matter);
    where the seed gives the figures, exactly `accepted − finished` stay open, accepted and within their limit."""
    now = realiser.now
    is_open = [i for i, life in enumerate(lives) if life.app.status in OPEN_STATUSES]
    keep = [i for i in is_open if not _late(lives[i], now)]
    if exact is not None:
        wanted = exact[0] - exact[1]
        keep = sorted(rng.sample(keep, wanted)) if len(keep) >= wanted else keep
        opened = set(is_open)
        fill = [i for i in range(len(lives) - 1, -1, -1) if i not in opened][: wanted - len(keep)]
        for i in fill:
            _plan(lives[i]).open_ = True
        for i in rng.sample(sorted(keep + fill), min(4, len(keep + fill))):
            _plan(lives[i]).later_correction = (0.0, None)  # the back office found something missing
        for i in fill + keep:
            lives[i] = lives[i].again(realiser)
    for i in sorted(set(is_open) - set(keep)):
        plan = _plan(lives[i])
        plan.suspension = plan.later_correction = plan.withdraw = None
        plan.decide_at = _between(realiser, rng, lives[i].last or plan.received_at, now)
        lives[i] = lives[i].again(realiser)


def _late(life: Life, now: dt.datetime) -> bool:
    return life.clock is not None and life.clock.is_late(now)


def _plan(life: Life) -> Plan:
    assert life.plan is not None
    return life.plan


RECTIFICATION_ORDER = (
    RectificationStatus.OPEN,
    RectificationStatus.CONTACTED,
    RectificationStatus.RECTIFIED,
    RectificationStatus.CLOSED,
)


def _every_rectification_state(realiser: Realiser, lives: list[Life]) -> None:
    """A rectification in each state: where one is missing, the latest bad rating further on is held back."""
    rated = [i for i, life in enumerate(lives) if life.rectification is not None]
    for step, state in enumerate(RECTIFICATION_ORDER[:-1]):
        if any(_rect(lives[i]).status == state for i in rated):
            continue
        further = [i for i in rated if RECTIFICATION_ORDER.index(_rect(lives[i]).status) > step]
        if not further:
            continue
        i = max(further, key=lambda i: _rect(lives[i]).created_at)
        plan = _plan(lives[i])
        plan.rectify = plan.rectify[:step]
        lives[i] = lives[i].again(realiser)


def _rect(life: Life) -> Rectification:
    assert life.rectification is not None
    return life.rectification


def _write(lives: list[Life]) -> None:
    """Every row of every life, one bulk insert per table; children get their parents' keys in between."""
    apps = [life.app for life in lives]
    Application.objects.bulk_create(apps, batch_size=BATCH)
    if apps:  # the keys were given: move PostgreSQL's sequence past them (SQLite follows by itself)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Application]):
                cursor.execute(sql)
    history, visits, notices, clocks, ratings = [], [], [], [], []
    for life in lives:
        pk = life.app.pk
        for rows in (life.history, life.visits, life.notices):
            for row in rows:
                row.application_id = pk
        history.extend(life.history)
        visits.extend(life.visits)
        notices.extend(life.notices)
        if life.clock is not None:
            life.clock.clock.object_id = pk
            clocks.append(life.clock)
        if life.rating is not None:
            life.rating.application_id = pk
            ratings.append(life)
    ApplicationHistory.objects.bulk_create(history, batch_size=BATCH)
    InPersonVisit.objects.bulk_create(visits, batch_size=BATCH)
    CorrectionNotice.objects.bulk_create(notices, batch_size=BATCH)
    Rating.objects.bulk_create([life.rating for life in ratings if life.rating], batch_size=BATCH)
    rects = []
    for life in ratings:
        if life.rectification is not None and life.rating is not None:
            life.rectification.rating_id = life.rating.pk
            life.rectification.application_id = life.app.pk
            rects.append(life)
    Rectification.objects.bulk_create([_rect(life) for life in rects], batch_size=BATCH)
    for life in rects:
        for clock in life.rect_clocks:
            clock.clock.object_id = _rect(life).pk
            clocks.append(clock)
    Clock.objects.bulk_create([c.clock for c in clocks], batch_size=BATCH)
    pauses = []
    for clock in clocks:
        for pause in clock.pauses:
            pause.clock_id = clock.clock.pk
            pauses.append(pause)
    ClockPause.objects.bulk_create(pauses, batch_size=BATCH)


def tally(lives: list[Life]) -> Counter[str]:
    """A township's figures as the seeds state them (the dashboards compute them from the rows)."""
    c: Counter[str] = Counter()
    for life in lives:
        app = life.app
        c["applications"] += 1
        c["accepted"] += app.accepted_at is not None
        c["finished"] += app.status in FINISHED_STATUSES
        c["open"] += app.status in OPEN_STATUSES
        c["remote"] += app.channel in REMOTE_CHANNELS
        c["late"] += app.late
        c["two_visits"] += app.visits >= 2
        if life.rating is not None:
            c["rated"] += 1
            c["good"] += life.rating.grade >= 4
    return c


def delete_demo_convenience() -> None:
    """Delete the demo's applications with everything hanging off them, its centres and its catalogue."""
    apps = Application.objects.filter(centre__township__code__startswith=DISTRICT_CODE)
    rects = Rectification.objects.filter(application__in=apps)
    for workflow, records in (("rectification", rects), ("application", apps)):
        ids = records.values_list("pk", flat=True)
        Clock.objects.filter(workflow=workflow, object_id__in=ids).delete()
        Link.objects.filter(source_workflow=workflow, source_id__in=ids).delete()
        Link.objects.filter(target_workflow=workflow, target_id__in=ids).delete()
    rects.delete()
    apps.delete()  # history, notices, visits and ratings go with them
    ServiceCentre.objects.filter(township__code__startswith=DISTRICT_CODE).delete()  # and their windows
    ServiceItem.objects.filter(_demo_items()).delete()  # and their materials
