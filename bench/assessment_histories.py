"""Event histories for bench_assessment.py: each event runs the loop as the services would write it (report,
verification, triage, dispatch, sign, handle, extensions, returns, reworks, supervision, check, callback, close,
reopen, archive), with deadlines from the working calendar, as rows ready for bulk insert. Each event's
transitions are recorded by its `Trail` (assessment_trail.py).
"""

import bisect
import datetime as dt
import random
from typing import Any

from assessment_trail import Trail
from assessment_world import World

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
        trail = Trail(e, cal=self.cal, end=self.end)
        trs, state, stage = trail.rows, trail.state, trail.stage
        step, clock_stage, no_stage = trail.step, trail.clock_stage, trail.no_stage
        assignments: list[dict[str, Any]] = []

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
