"""Assessment at scale: a district-year of events with full histories, bulk-inserted as the services would write
them, then the leader dashboard and the monthly report timed on SQLite and PostgreSQL against the floor: one
hand-written SQL aggregate over the same rows. Prints figures and ratios, asserts nothing.

    .venv/bin/python bench/bench_assessment.py [--db sqlite,postgres] [--events 400000] [--size 3]
                                               [--districts 1] [--rebuild] [--repeat 3]

The demo district (`build_demo_district`, size 3 ≈ 9 townships, ~600 grids) gets `--events` events reported
during 2025. Each event runs the loop like the services do (`grassroots/events/services`): report, on-site
verification for citizens' reports, register / void / merge / self-handle, dispatch to a village committee or a
township agency with the type's limit from the working calendar, sign, handle, extensions, returns, reworks,
joint handling, escalation to the district, feedback, check, callback with a rating, close, reopen, archive,
supervision of overdue work. Deadlines, due dates and each step's working seconds come from the same calendar;
`seq` equals the event's version. The data stop on 15 January 2026 (events still open then stay open).

`--districts N` (N > 1) adds N − 1 synthetic districts of the same size (copies of the demo geography under other
codes) for a province-scale sample; the dashboard is then timed for one district and for the whole sample.

Databases are kept between runs (var/bench/…sqlite3 and the PostgreSQL database grassroots_bench_assessment);
`--rebuild` regenerates them.
"""

import argparse
import bisect
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "grassroots_bench_assessment"
YEAR = 2025

# Platform split of seed 001 (Zhenhai 2017: 便民服务 65.44%, 综合执法 12.18%, 综治 11.13%, 市场监管 2.72%).
PLATFORM_WEIGHTS = {"service": 65.44, "enforcement": 12.18, "governance": 11.13, "market": 2.72}
SOURCE_WEIGHTS = {
    "patrol": 55,
    "phone": 10,
    "12345": 10,
    "online": 6,
    "village": 7,
    "sensor": 4,
    "visit": 4,
    "letter": 2,
    "open311": 2,
}
SATISFACTION = [(5, 0.58), (4, 0.30), (3, 0.07), (2, 0.035), (1, 0.015)]


# -- orchestration ---------------------------------------------------------------------------------------------


def database_url(db: str, args: argparse.Namespace) -> str:
    if db == "postgres":
        return f"postgres://postgres@127.0.0.1:5432/{pg_name(args)}"
    path = ROOT / "var" / "bench" / f"assessment-{args.size}-{args.events}-{args.districts}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def pg_name(args: argparse.Namespace) -> str:
    return PG_DB if args.districts == 1 else f"{PG_DB}_{args.districts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--events", type=int, default=400_000, help="events per district")
    parser.add_argument("--size", type=int, default=3, help="demo district size (3 townships per unit)")
    parser.add_argument("--districts", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", default="")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args)
        return
    for db in args.db.split(","):
        env = {**os.environ, "DATABASE_URL": database_url(db, args), "FAST_PASSWORD_HASHER": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        name = pg_name(args)
        if db == "postgres" and args.rebuild:
            _psql(f"DROP DATABASE IF EXISTS {name}")
        if db == "postgres":
            exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True).strip()
            if not exists:
                _psql(f"CREATE DATABASE {name}")
        if db == "sqlite" and args.rebuild:
            Path(database_url(db, args)[len("sqlite:///") :]).unlink(missing_ok=True)
        cmd = [PY, __file__, "--worker", db, "--events", str(args.events), "--size", str(args.size)]
        cmd += ["--districts", str(args.districts), "--repeat", str(args.repeat)]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def _psql(sql: str, capture: bool = False) -> str:
    out = subprocess.run(
        ["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return out.stdout


def worker(db: str, args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    from grassroots.events.models import Event

    wanted = args.events * args.districts
    have = Event.objects.count()
    if have and abs(have - wanted) > wanted * 0.05:
        print(f"[{db}] {have} events present, {wanted} wanted: use --rebuild")
        return
    if not have:
        build(db, args)
        print(f"[{db}] built in {time.perf_counter() - started:.0f} s")
    measure(db, args)


# -- the data --------------------------------------------------------------------------------------------------


def build(db: str, args: argparse.Namespace) -> None:
    from django.db import connection

    from grassroots.demo.district import build_demo_district, demo_district_exists

    if not demo_district_exists():
        build_demo_district(seed=2026, size=args.size)
    districts = ["330421"]
    if args.districts > 1:
        districts += clone_districts(args.districts - 1)
    world = World.load(districts)
    inserter = Inserter(connection)
    rng = random.Random(2025)
    t0 = time.perf_counter()
    total = 0
    for district in districts:
        gen = Generator(rng, world.part(district), first_event_id=total + 1)
        for chunk in gen.chunks(args.events, 20_000):
            inserter.insert(chunk)
            total += len(chunk["events"])
            print(f"[{db}] {total} events ({time.perf_counter() - t0:.0f} s)", flush=True)
    inserter.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def clone_districts(n: int) -> list[str]:
    """Copies of the demo district's divisions, grids and units under other county codes (province sample)."""
    from django.db import transaction

    from grassroots.geo.models import Division, Grid
    from grassroots.org.models import Unit

    codes = []
    base = "330421"
    with transaction.atomic():
        divisions = list(Division.objects.filter(code__startswith=base).order_by("code"))
        grids = list(Grid.objects.filter(code__startswith=base))
        units = list(Unit.objects.filter(division__code__startswith=base).exclude(kind="county_department"))
        for i in range(n):
            code = f"3305{i + 10:02d}"
            codes.append(code)
            mapping: dict[int, Division] = {}
            for d in divisions:
                parent = mapping.get(d.parent_id) if d.parent_id else None
                copy = Division.objects.create(
                    code=code + d.code[6:],
                    name=d.name if d.level != "district" else f"模拟{i + 1}县",
                    level=d.level,
                    kind=d.kind,
                    parent=parent or (d.parent if d.level == "district" else None),
                )
                mapping[d.pk] = copy
            Grid.objects.bulk_create(
                Grid(
                    code=code + g.code[6:],
                    name=g.name,
                    village=mapping[g.village_id],
                    kind=g.kind,
                    households=g.households,
                    boundary=g.boundary,
                    min_lon=g.min_lon,
                    min_lat=g.min_lat,
                    max_lon=g.max_lon,
                    max_lat=g.max_lat,
                    label_lon=g.label_lon,
                    label_lat=g.label_lat,
                )
                for g in grids
            )
            Unit.objects.bulk_create(
                Unit(
                    code=code + u.code[6:],
                    name=u.name,
                    kind=u.kind,
                    agency_class=u.agency_class,
                    division=mapping[u.division_id],
                )
                for u in units
            )
    return codes


class World:
    """Grids, units and people of the districts, loaded once."""

    def __init__(self) -> None:
        self.grids: list[dict[str, Any]] = []
        self.committee: dict[int, int] = {}  # village id -> committee unit id
        self.room: dict[int, int] = {}  # township id -> command room unit id
        self.agencies: dict[int, dict[str, int]] = {}  # township id -> suffix -> unit id
        self.centre: dict[str, int] = {}
        self.workers: dict[int, list[int]] = {}  # grid id -> grid worker ids
        self.operator = 0
        self.lead = 0
        self.centre_person = 0
        self.types: list[dict[str, Any]] = []

    @classmethod
    def load(cls, districts: list[str]) -> "World":
        from grassroots.events.models import EventType
        from grassroots.geo.models import Grid
        from grassroots.org.models import Unit
        from grassroots.people.models import Person

        w = cls()
        w.districts = districts  # type: ignore[attr-defined]
        for g in Grid.objects.select_related("village").order_by("code"):
            w.grids.append(
                {
                    "id": g.pk,
                    "code": g.code,
                    "village": g.village_id,
                    "township": g.village.parent_id,
                    "lon": g.label_lon,
                    "lat": g.label_lat,
                }
            )
        for u in Unit.objects.select_related("division"):
            if u.kind == "village_committee":
                w.committee[u.division_id] = u.pk
            elif u.kind == "command_room":
                w.room[u.division_id] = u.pk
            elif u.kind == "command_centre":
                w.centre[u.division.code[:6]] = u.pk
            elif u.kind in ("dispatched_agency", "township_office"):
                w.agencies.setdefault(u.division_id, {})[u.code.split("-")[-1]] = u.pk
        for p in Person.objects.filter(role__in=["grid_worker", "grid_head"]).order_by("pk"):
            if p.grid_id:
                w.workers.setdefault(p.grid_id, []).append(p.pk)
        w.operator = Person.objects.filter(username="operator").values_list("pk", flat=True).first() or 0
        w.lead = Person.objects.filter(username="shiftlead").values_list("pk", flat=True).first() or 0
        w.centre_person = Person.objects.filter(username="centre").values_list("pk", flat=True).first() or 0
        for t in EventType.objects.filter(parent__isnull=False, is_active=True).prefetch_related("limits"):
            limits = {lim.level: (lim.amount, lim.unit) for lim in t.limits.all()}
            w.types.append(
                {
                    "obj": t,
                    "id": t.pk,
                    "code": t.code,
                    "platform": t.platform,
                    "self_fixable": t.self_fixable,
                    "verify_hours": t.verify_hours,
                    "check_hours": t.check_hours,
                    "unit": t.default_unit_suffix,
                    "limits": limits,
                }
            )
        return w

    def part(self, district: str) -> "World":
        part = World()
        part.__dict__.update(self.__dict__)
        part.grids = [g for g in self.grids if g["code"].startswith(district)]
        part.centre_id = self.centre.get(district) or next(iter(self.centre.values()))  # type: ignore[attr-defined]
        return part


class Generator:
    """Histories of events, step by step, with the services' clocks (one event at a time, chunked)."""

    def __init__(self, rng: random.Random, world: World, first_event_id: int) -> None:
        from grassroots.events.clock import close_due, handling_clock, hours_clock, limit_for
        from grassroots.workcal.calendar import get_calendar

        self.rng = rng
        self.w = world
        self.cal = get_calendar()
        self.handling_clock, self.hours_clock, self.close_due, self.limit_for = (
            handling_clock,
            hours_clock,
            close_due,
            limit_for,
        )
        self.next_event = first_event_id
        self.tz = dt.timezone(dt.timedelta(hours=8))
        self.end = dt.datetime(YEAR + 1, 1, 15, 12, 0, tzinfo=self.tz)
        by_platform: dict[str, list[dict[str, Any]]] = {}
        for t in world.types:
            by_platform.setdefault(t["platform"], []).append(t)
        self.platforms = [p for p in PLATFORM_WEIGHTS if p in by_platform]
        self.platform_weights = [PLATFORM_WEIGHTS[p] for p in self.platforms]
        self.types_by_platform = by_platform
        # Some grids are busier than others (hot spots).
        self.grid_weights = [rng.paretovariate(1.6) for _ in world.grids]
        self.grid_cum = list(_cumulative(self.grid_weights))
        self.recent: dict[int, list[int]] = {}  # grid id -> recent open event ids (merge targets)

    # -- helpers
    def wadd(self, t: dt.datetime, minutes: float) -> dt.datetime:
        return self.cal.add_working_seconds(t, max(int(minutes * 60), 1))

    def pick_grid(self) -> dict[str, Any]:
        x = self.rng.random() * self.grid_cum[-1]
        return self.w.grids[bisect.bisect_left(self.grid_cum, x)]

    def reported_at(self) -> dt.datetime:
        rng = self.rng
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        workday = self.cal.is_workday(day)
        if not workday and rng.random() < 0.6:
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        hour = rng.choices(
            range(24),
            weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 8, 10, 13, 13, 12, 10, 7, 6, 5, 3, 2, 1],
        )[0]
        return dt.datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=self.tz
        )

    def chunks(self, n: int, size: int) -> Any:
        made = 0
        while made < n:
            chunk: dict[str, list[dict[str, Any]]] = {
                "events": [],
                "transitions": [],
                "assignments": [],
                "orders": [],
            }
            for _ in range(min(size, n - made)):
                self.event(chunk)
                made += 1
            yield chunk

    # -- one event
    def event(self, out: dict[str, list[dict[str, Any]]]) -> None:
        rng, w = self.rng, self.w
        eid = self.next_event
        self.next_event += 1
        grid = self.pick_grid()
        platform = rng.choices(self.platforms, weights=self.platform_weights)[0]
        etype = rng.choice(self.types_by_platform[platform])
        source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
        reported = self.reported_at()
        township = grid["township"]
        room = w.room.get(township)
        workers = w.workers.get(grid["id"]) or [w.operator]
        worker = rng.choice(workers)
        citizen = source not in ("patrol", "sensor", "village")
        level = 1 if source == "patrol" else 2 if source == "village" else 3
        e: dict[str, Any] = {
            "id": eid,
            "number": f"{etype['code']}-{reported:%Y%m%d}-{eid:06d}",
            "source": source,
            "event_type_id": etype["id"],
            "platform": platform,
            "level": level,
            "mode": "",
            "urgency": "normal",
            "title": f"{etype['obj'].name}（{grid['code'][-4:]}）",
            "description": "",
            "lon": grid["lon"],
            "lat": grid["lat"],
            "address": "",
            "grid_id": grid["id"],
            "village_id": grid["village"],
            "township_id": township,
            "region_code": grid["code"],
            "outside_grid": False,
            "reporter_id": worker if source == "patrol" else None,
            "reporter_name": "市民" if citizen else "",
            "reporter_phone": "13800000000" if citizen and rng.random() < 0.8 else "",
            "anonymous": False,
            "created_by_id": worker if source == "patrol" else w.operator or None,
            "holder_unit_id": room,
            "first_receiver_id": w.operator if citizen and w.operator else None,
            "reported_at": reported,
            "rework_count": 0,
            "return_count": 0,
            "reopen_count": 0,
            "escalation_count": 0,
            "extended": False,
            "joint": False,
            "leader_flagged": False,
            "satisfaction": None,
        }
        trs: list[dict[str, Any]] = []
        assignments: list[dict[str, Any]] = []
        state = {"status": "", "at": reported, "W": self.cal.working_clock(reported)}
        stage: dict[str, Any] = {}

        def step(
            at: dt.datetime,
            action: str,
            to: str | None,
            actor: int | None,
            unit: int | None = None,
            data: Any = None,
        ) -> bool:
            """Record a step at `at` unless it falls after the end of the data; False then."""
            if at > self.end:
                return False
            at = max(at, state["at"])
            clock = self.cal.working_clock(at)
            trs.append(
                {
                    "event_id": eid,
                    "seq": len(trs) + 1,
                    "at": at,
                    "actor_id": actor,
                    "action": action,
                    "from_status": state["status"],
                    "to_status": to or state["status"],
                    "level": e["level"],
                    "unit_id": unit,
                    "note": "",
                    "elapsed_seconds": max(clock - state["W"], 0) if trs else 0,
                    "data": data or {},
                }
            )
            state["status"] = to or state["status"]
            state["at"], state["W"] = at, clock
            return True

        def clock_stage(clock: Any) -> None:
            stage.update(stage_started_at=clock.started, warn_at=clock.warn_at, deadline=clock.deadline)

        def no_stage() -> None:
            stage.update(stage_started_at=None, warn_at=None, deadline=None)

        step(reported, "report", "reported", e["created_by_id"], room, {"source": source})
        clock_stage(self.hours_clock(reported, 2))
        t = reported
        done = False
        # On-site verification of citizens' reports.
        if citizen and not done:
            t = self.wadd(t, rng.uniform(5, 60))
            verifier = rng.choice(workers)
            if step(t, "verify", "verifying", w.operator or None, None, {"verifier": verifier}):
                e["verifier_id"] = verifier
                limit = etype["verify_hours"] * 60
                clock_stage(self.hours_clock(t, etype["verify_hours"]))
                used = rng.uniform(10, 0.95 * limit) if rng.random() < 0.86 else limit + rng.uniform(10, 900)
                t = self.wadd(t, used)
                valid = rng.random() > 0.08
                if step(t, "verify", "verified" if valid else "invalid", verifier, None, {"valid": valid}):
                    if not valid:
                        no_stage()
                        done = True
                    else:
                        clock_stage(self.hours_clock(t, 2))
                else:
                    done = True
            else:
                done = True
        # Triage.
        if not done:
            t = self.wadd(t, rng.uniform(3, 90))
            roll = rng.random()
            targets = self.recent.get(grid["id"], [])
            if source == "patrol" and etype["self_fixable"] and roll < 0.45:
                if step(t, "self_handle", "self_handled", worker):
                    e["fed_back_at"] = t
                    no_stage()
                    t = self.wadd(t, rng.uniform(10, 200))
                    if step(t, "close", "closed", w.lead or None):
                        e["closed_at"] = t
                done = True
            elif roll < 0.03:
                if step(t, "void", "void", w.operator or None):
                    no_stage()
                done = True
            elif roll < 0.05 and targets:
                into = rng.choice(targets)
                if step(t, "merge", "merged", w.operator or None, None, {"into": into}):
                    e["merged_into_id"] = into
                    no_stage()
                done = True
            elif step(t, "register", "registered", w.operator or None):
                e["registered_at"] = t
                clock_stage(self.hours_clock(t, 2))
            else:
                done = True
        if not done:
            self.recent.setdefault(grid["id"], []).append(eid)
            if len(self.recent[grid["id"]]) > 20:
                self.recent[grid["id"]].pop(0)
        # Dispatch and handle, possibly several rounds.
        rounds = 0
        reopened = False
        rework: tuple[int, list[int], int] | None = None
        while not done:
            rounds += 1
            if rounds > 6:
                break
            agencies = w.agencies.get(township, {})
            if rework is not None:
                # A failed check sends the same units back to work (action "check", as event_check records it).
                lead_unit, assists, unit_level = rework
                rework, action, actor = None, "check", worker
            else:
                action = "dispatch"
                t = self.wadd(t, rng.uniform(3, 120))
                to_village = e["level"] <= 2 and (source == "village" or rng.random() < 0.45)
                if e["level"] == 4:
                    lead_unit = agencies.get(etype["unit"]) or rng.choice(list(agencies.values()))
                    unit_level, actor = 4, w.centre_person or w.operator
                elif to_village and grid["village"] in w.committee:
                    lead_unit, unit_level, actor = w.committee[grid["village"]], 2, w.operator
                else:
                    lead_unit = agencies.get(etype["unit"]) or rng.choice(list(agencies.values()))
                    unit_level, actor = 3, w.operator
                assists = []
                if unit_level >= 3 and rng.random() < 0.05 and len(agencies) > 1:
                    assists = [rng.choice([u for u in agencies.values() if u != lead_unit])]
            # 3%: beyond the township's power, up to the district first.
            if action == "dispatch" and unit_level == 3 and rounds == 1 and rng.random() < 0.03:
                e["level"] = 4
                e["escalation_count"] += 1
                holder = getattr(w, "centre_id", None)
                if not step(
                    t,
                    "escalate",
                    "registered",
                    w.operator or None,
                    holder,
                    {"direction": "up", "from_level": 3, "to_level": 4},
                ):
                    break
                e["holder_unit_id"] = holder
                t = self.wadd(t, rng.uniform(10, 240))
                unit_level, actor = 4, w.centre_person or w.operator
            e["level"] = unit_level
            clock = self.handling_clock(etype["obj"], unit_level, t)
            round_no = e["rework_count"] + 1
            if not step(
                t,
                action,
                "dispatched",
                actor or None,
                lead_unit,
                {"lead": lead_unit, "assists": assists, "mode": "assigned", "round": round_no},
            ):
                break
            e.update(
                dispatched_at=t,
                holder_unit_id=lead_unit,
                mode="assigned",
                due_at=self.close_due(clock.deadline),
            )
            e["joint"] = e["joint"] or bool(assists)
            clock_stage(clock)
            mine = [
                {
                    "event_id": eid,
                    "unit_id": u,
                    "role": role,
                    "status": "dispatched",
                    "level": unit_level,
                    "mode": "assigned",
                    "round": round_no,
                    "dispatched_by_id": actor or w.operator,
                    "dispatched_at": t,
                    "warn_at": clock.warn_at,
                    "deadline": clock.deadline,
                    "extended": False,
                }
                for u, role in [(lead_unit, "lead"), *[(a, "assist") for a in assists]]
            ]
            assignments.extend(mine)
            lead = mine[0]
            # The lead returns it: wrong unit (4%).
            if rng.random() < 0.04:
                t = self.wadd(t, rng.uniform(15, 240))
                if not step(t, "return", "registered", None, lead_unit, {"role": "lead"}):
                    break
                lead.update(status="returned", returned_at=t, return_reason="不属本单位职责")
                for a in mine[1:]:
                    a["status"] = "cancelled"
                e["return_count"] += 1
                e["holder_unit_id"] = room
                clock_stage(self.hours_clock(t, 2))
                continue
            limit_seconds = self.cal.working_seconds_between(clock.started, clock.deadline)
            t = self.wadd(t, rng.uniform(10, 240))
            if not step(t, "sign", "signed", None, lead_unit):
                break
            for a in mine:
                a.update(status="signed", signed_at=t)
            t = self.wadd(t, rng.uniform(5, 120))
            if not step(t, "handle", "handling", None, lead_unit):
                break
            for a in mine:
                a["status"] = "handling"
            # Extension (3%): two working days, approved.
            if rng.random() < 0.03:
                t2 = self.wadd(t, rng.uniform(60, limit_seconds / 120))
                if step(t2, "request_extension", None, None, lead_unit, {"days": "2"}):
                    t = self.wadd(t2, rng.uniform(15, 180))
                    new_deadline = self.cal.add(lead["deadline"], 2, unit="working_days")
                    if step(
                        t, "decide_extension", None, w.lead or None, lead_unit, {"approve": True, "days": "2"}
                    ):
                        lead.update(
                            deadline=new_deadline,
                            warn_at=self.cal.add(lead["warn_at"], 2, unit="working_days"),
                            extended=True,
                        )
                        e["extended"] = True
                        e["due_at"] = self.close_due(new_deadline)
                        stage.update(deadline=new_deadline)
            budget = self.cal.working_seconds_between(t, lead["deadline"]) / 60
            on_time = rng.random() < 0.88
            used = (
                rng.uniform(0.05, 0.97) * max(budget, 5)
                if on_time
                else max(budget, 0) + rng.uniform(30, 3000)
            )
            t = self.wadd(t, used)
            # Overdue in hand: a supervision order (督办) for some.
            if not on_time and rng.random() < 0.25:
                t_sup = min(self.wadd(lead["deadline"], 30), t)
                if step(
                    t_sup,
                    "supervise",
                    None,
                    w.lead or None,
                    lead_unit,
                    {"kind": "supervise", "reason": "overdue"},
                ):
                    out["orders"].append(
                        {
                            "event_id": eid,
                            "kind": "supervise" if rng.random() < 0.6 else "urge",
                            "reason": "overdue",
                            "unit_id": lead_unit,
                            "issued_by_id": w.lead or None,
                            "issued_at": t_sup,
                            "deadline": self.wadd(t_sup, 450),
                            "note": "",
                            "resolved_at": t if t <= self.end else None,
                        }
                    )
            if not step(t, "feed_back", "fed_back", None, lead_unit):
                break
            for a in mine:
                a.update(status="fed_back", fed_back_at=t, feedback="已处置")
            e["fed_back_at"] = t
            e["holder_unit_id"] = room
            clock_stage(self.hours_clock(t, etype["check_hours"]))
            t = self.wadd(t, rng.uniform(30, etype["check_hours"] * 55))
            passed = rng.random() > 0.06 or e["rework_count"] >= 1
            if not passed:
                e["rework_count"] += 1
                rework = (lead_unit, assists, unit_level)
                continue
            if not step(t, "check", "checked", worker, None, {"passed": True}):
                break
            for a in mine:
                a["status"] = "done"
            clock_stage(self.hours_clock(t, 8))
            if citizen and e["reporter_phone"]:
                t = self.wadd(t, rng.uniform(30, 300))
                score = rng.choices([s for s, _ in SATISFACTION], weights=[p for _, p in SATISFACTION])[0]
                if not step(
                    t,
                    "callback",
                    "evaluated",
                    w.operator or None,
                    None,
                    {"reached": True, "satisfaction": score},
                ):
                    break
                e["satisfaction"] = score
                no_stage()
            t = self.wadd(t, rng.uniform(10, 240))
            if not step(t, "close", "closed", w.lead or None):
                break
            e["closed_at"] = t
            no_stage()
            if not reopened and rng.random() < 0.01:
                reopened = True
                t = self.wadd(t, rng.uniform(300, 3000))
                if not step(t, "reopen", "registered", w.lead or None):
                    break
                e.update(closed_at=None, satisfaction=None, holder_unit_id=room)
                e["reopen_count"] += 1
                clock_stage(self.hours_clock(t, 2))
                continue
            if t < dt.datetime(YEAR, 10, 1, tzinfo=self.tz) and rng.random() < 0.6:
                t = self.wadd(t, rng.uniform(600, 6000))
                if step(t, "archive", "archived", w.lead or None):
                    e["archived_at"] = t
            done = True
        e["status"] = state["status"]
        e["version"] = len(trs)
        e["last_step_at"] = state["at"]
        e["updated_at"] = state["at"]
        open_stage = e["status"] not in ("closed", "archived", "void", "invalid", "merged", "evaluated")
        e.update(
            stage_started_at=stage.get("stage_started_at") if open_stage else None,
            warn_at=stage.get("warn_at") if open_stage else None,
            deadline=stage.get("deadline") if open_stage else None,
            warned=False,
            overdue=bool(open_stage and stage.get("deadline") and stage["deadline"] < self.end),
        )
        out["events"].append(e)
        out["transitions"].extend(trs)
        out["assignments"].extend(assignments)


def _cumulative(weights: list[float]) -> Any:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


# -- bulk insert, as the services' rows ----------------------------------------------------------------------------


class Inserter:
    """Rows as dicts of attribute names; missing fields take the model default. COPY on PostgreSQL, executemany
    on SQLite, ids given explicitly (sequences reset at the end)."""

    def __init__(self, connection: Any) -> None:
        from grassroots.events.models import Assignment, Event, SupervisionOrder, Transition

        self.connection = connection
        self.models = {
            "events": Event,
            "transitions": Transition,
            "assignments": Assignment,
            "orders": SupervisionOrder,
        }
        self.next_id = {"transitions": 1, "assignments": 1, "orders": 1}

    def _value(self, field: Any, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if self.connection.vendor == "sqlite":
                return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
            return value
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool) and self.connection.vendor == "sqlite":
            return int(value)
        return value

    def insert(self, chunk: dict[str, list[dict[str, Any]]]) -> None:
        from django.db import transaction

        with transaction.atomic():
            for name in ("events", "transitions", "assignments", "orders"):
                rows = chunk[name]
                if not rows:
                    continue
                if name != "events":
                    for row in rows:
                        row["id"] = self.next_id[name]
                        self.next_id[name] += 1
                self._insert(self.models[name], rows)

    def _insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        fields = model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        columns = [f.column for f in fields]
        data = [[self._value(f, row.get(f.attname, defaults[f.attname])) for f in fields] for row in rows]
        table = model._meta.db_table
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for values in data:
                    copy.write_row(values)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)

    def finish(self) -> None:
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model in self.models.values():
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


# -- measuring -----------------------------------------------------------------------------------------------------


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def floor_sql(connection: Any, area: str, start: dt.datetime, end: dt.datetime) -> Any:
    """The floor: one hand-written aggregate over the same rows, the kind a DBA would write for the headline
    figures by township (reported, closed, due, closed on time) in one scan."""
    upper = str(int(area) + 1).zfill(len(area))
    if connection.vendor == "sqlite":
        s, e = (x.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") for x in (start, end))
        p = "?"
    else:
        s, e = start, end
        p = "%s"
    sql = f"""
        SELECT township_id,
               COUNT(*) FILTER (WHERE reported_at >= {p} AND reported_at < {p}),
               COUNT(*) FILTER (WHERE closed_at >= {p} AND closed_at < {p}),
               COUNT(*) FILTER (WHERE due_at >= {p} AND due_at < {p}),
               COUNT(*) FILTER (WHERE due_at >= {p} AND due_at < {p} AND closed_at <= due_at AND reopen_count = 0)
        FROM events_event
        WHERE region_code >= {p} AND region_code < {p} AND merged_into_id IS NULL
          AND ((reported_at >= {p} AND reported_at < {p}) OR (closed_at >= {p} AND closed_at < {p})
               OR (due_at >= {p} AND due_at < {p}))
        GROUP BY township_id
    """
    params = [s, e, s, e, s, e, s, e, area, upper, s, e, s, e, s, e]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")  # its best case: JIT only slows a query of this size
        cursor.execute(sql, params)
        return cursor.fetchall()


def same_figures_sql(connection: Any, area: str, start: dt.datetime, end: dt.datetime) -> Any:
    """A stricter reference: one hand-written statement computing what the dashboard shows (the event counts by
    township and the handling counts by unit, assignments joined to their events for scope)."""
    upper = str(int(area) + 1).zfill(len(area))
    if connection.vendor == "sqlite":
        s, e = (x.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") for x in (start, end))
        p = "?"
    else:
        s, e = start, end
        p = "%s"
    window = {"rep": "reported_at", "clo": "closed_at", "due": "due_at"}
    inw = {k: f"({v} >= {p} AND {v} < {p})" for k, v in window.items()}
    sql = f"""
        WITH ev AS (
          SELECT township_id,
                 COUNT(*) FILTER (WHERE {inw["rep"]}) AS reported,
                 COUNT(*) FILTER (WHERE {inw["clo"]}) AS closed,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND level <= 2) AS closed_low,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND satisfaction IS NOT NULL) AS rated,
                 COUNT(*) FILTER (WHERE {inw["clo"]} AND satisfaction >= 4) AS satisfied,
                 COUNT(*) FILTER (WHERE {inw["due"]}) AS due,
                 COUNT(*) FILTER (WHERE {inw["due"]} AND closed_at IS NOT NULL) AS closed_of_due,
                 COUNT(*) FILTER (WHERE {inw["due"]} AND closed_at <= due_at AND reopen_count = 0) AS on_time
          FROM events_event
          WHERE region_code >= {p} AND region_code < {p} AND merged_into_id IS NULL
            AND ({inw["rep"]} OR {inw["clo"]} OR {inw["due"]})
          GROUP BY township_id),
        asg AS (
          SELECT a.unit_id,
                 COUNT(*) FILTER (WHERE a.deadline >= {p} AND a.deadline < {p} AND a.status <> 'returned') AS due,
                 COUNT(*) FILTER (WHERE a.deadline >= {p} AND a.deadline < {p} AND a.status <> 'returned'
                                  AND a.fed_back_at <= a.deadline) AS on_time
          FROM events_assignment a JOIN events_event e ON e.id = a.event_id
          WHERE e.region_code >= {p} AND e.region_code < {p} AND e.merged_into_id IS NULL
            AND ((a.deadline >= {p} AND a.deadline < {p}) OR (a.dispatched_at >= {p} AND a.dispatched_at < {p}))
          GROUP BY a.unit_id)
        SELECT 'e', township_id, reported, due, on_time FROM ev
        UNION ALL SELECT 'a', unit_id, 0, due, on_time FROM asg
    """
    params = [s, e] * 8 + [area, upper] + [s, e] * 3
    params += [s, e, s, e, area, upper, s, e, s, e]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def measure(db: str, args: argparse.Namespace) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.assessment import figures as fig
    from grassroots.assessment.analysis import report_data
    from grassroots.assessment.periods import period_parse
    from grassroots.assessment.selectors import dashboard
    from grassroots.events.models import Assignment, Event, Transition
    from grassroots.people.models import Person

    viewer = Person.objects.get(username="centre")
    if args.districts > 1:
        viewer = Person.objects.filter(is_superuser=True).first() or viewer
    events = Event.objects.count()
    print(
        f"\n[{db}] {connection.vendor} {events} events, {Transition.objects.count()} transitions, "
        f"{Assignment.objects.count()} assignments"
    )
    year, month = period_parse(str(YEAR)), period_parse(f"{YEAR}-06")
    areas = [fig.Area("330421", "嘉善县")]
    if args.districts > 1:
        areas.append(fig.Area("", "全部"))
    for area in areas:
        label = area.name
        floor_area = area.code or "33"
        floor_year, _ = timed(
            lambda a=floor_area: floor_sql(connection, a, year.start, year.end), args.repeat
        )
        floor_month, _ = timed(
            lambda a=floor_area: floor_sql(connection, a, month.start, month.end), args.repeat
        )
        same_year, _ = timed(
            lambda a=floor_area: same_figures_sql(connection, a, year.start, year.end), args.repeat
        )
        with CaptureQueriesContext(connection) as queries:
            dash_year, data = timed(lambda a=area: dashboard(viewer=viewer, period=year, area=a), args.repeat)
        n_queries = len(queries.captured_queries) // args.repeat
        dash_month, _ = timed(lambda a=area: dashboard(viewer=viewer, period=month, area=a), args.repeat)
        report_month, _ = timed(lambda a=area: report_data(viewer=viewer, period=month, area=a), args.repeat)
        print(
            f"  {label}: reported {data.totals['reported']}, on-time completion {data.rate('on_time_completion')}, "
            f"platform split "
            + ", ".join(
                f"{name} {fig.Rate(n, sum(x for _, _, x in data.platforms))}" for _, name, n in data.platforms
            )
        )
        print(
            f"  floor (one SQL aggregate by township): year {floor_year * 1000:.0f} ms, month {floor_month * 1000:.0f} ms"
        )
        print(
            f"  hand-written SQL of the dashboard's own figures (events + assignments joined), year: "
            f"{same_year * 1000:.0f} ms"
        )
        print(
            f"  dashboard, year:    {dash_year * 1000:7.0f} ms  ({dash_year / floor_year:4.1f}× floor, "
            f"{dash_year / same_year:4.1f}× the hand-written figures, {n_queries} queries)"
        )
        print(f"  dashboard, month:   {dash_month * 1000:7.0f} ms  ({dash_month / floor_month:4.1f}× floor)")
        print(
            f"  monthly report:     {report_month * 1000:7.0f} ms  ({report_month / floor_month:4.1f}× floor)"
        )
    # The page itself, over HTTP through the test client (templates and all).
    client = Client()
    client.force_login(viewer)
    reset_queries()
    page, response = timed(
        lambda: client.get(f"/assessment/dashboard/?period={YEAR}&area=330421"), args.repeat
    )
    print(f"  dashboard page (HTTP, year): {page * 1000:.0f} ms, status {response.status_code}")


if __name__ == "__main__":
    main()
