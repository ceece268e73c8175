"""The demo district's event history: months of events run through the real services under a simulated clock.

`build_demo_history` walks day by day up to now. Each report is filed with `event_report` at its moment, and
each event is then moved on by the person whose turn it is (`casework.py`) after a delay counted in working
time, so histories, deadlines, notifications and audit rows are what real use leaves behind. The timer worker
(`timers_catch_up`) runs every simulated hour: warnings, overdue flags, automatic urges and timeout escalations
happen as they would. The same seed, size, days, volume and end moment give the same events.

The services read the time from `django.utils.timezone.now()`; `simulated_time` (`simclock.py`) replaces that
one function for the run. Steps commit forty at a time; the notifications written after each commit carry the
moment of the step that queued them. The demo's rows are counted and deleted in `history_rows.py`.
"""

import datetime as dt
import heapq
import itertools
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from grassroots.audit import context as audit_context
from grassroots.core.errors import DomainError
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType, Transition
from grassroots.events.services.timers import timers_catch_up
from grassroots.geo.models import Division
from grassroots.notifications.models import Notification
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar

from .casework import Casework, Move
from .cast import Cast
from .fates import Fate, draw_fate
from .history_rows import history_counts
from .names import DISTRICT_CODE
from .progress import progress_clear, progress_write
from .reports import ReportPlanner, ReportSpec, load_spots, point_near
from .showcase import showcase
from .simclock import SimulatedClock, simulated_time

log = logging.getLogger(__name__)

DEFAULT_DAYS = 90
# Reports per working day, a district's volume (rest days get about a third). Every step runs the real services
# (about 70 queries an event over its life, 25–30 ms on SQLite on a 2-core machine), so 90 days take about seven
# minutes: scripts/run builds them in the background while the product already serves.
DEFAULT_PER_DAY = 200
# When the simulated timer worker runs (hours of the day). The real one runs every minute; hourly in office
# hours is enough for warnings and deadlines counted in working time, which stand still at night.
TICK_HOURS = (9, 10, 11, 12, 14, 15, 16, 17, 18, 21)
REST_DAY_TICK_HOURS = (10, 21)  # natural-day deadlines (emergencies) run on
# Working minutes until someone gets round to the next step, by kind of step.
DELAYS = {
    "self_handle": (5, 25),
    "triage": (5, 90),
    "verify": (30, 200),
    "dispatch": (5, 90),
    "sign": (10, 120),
    "handle": (5, 60),
    "return": (15, 120),
    "escalate": (30, 240),
    "extension": (30, 240),
    "decide": (15, 120),
    "resume": (240, 1200),  # a suspension lasts half a day to a few days
    "supervise": (30, 360),
    "check_send": (10, 120),
    "check": (60, 360),
    "callback": (30, 300),
    "close": (10, 240),
    "reopen": (240, 1200),
    "archive": (480, 2400),
}
LATE_SHARE = 0.04  # a step that waits two or three times as long (the stage clock may run out)
QUICK_DELAY = (3, 5)  # the showcase's closing and aged cases (see showcase.py)
URGED_DELAY = (60, 480)  # feedback after an urge or past the deadline
DUPLICATE_WINDOW = dt.timedelta(hours=48)
TIMER_ACTIONS = ("warn", "overdue", "escalate", "supervise")
# Steps per transaction: one commit each would cost a sync of the file each; a whole day in one would keep the
# web server, which may run beside a history being built (scripts/run), waiting seconds to write. Between them the
# build gives way to anyone waiting to write.
STEPS_PER_COMMIT = 40


def _give_way() -> None:
    """Let the web server's writes go first (SQLite, when the history is built beside it; see core/sqlite)."""
    give_way = getattr(connection, "yield_to_writers", None)
    if give_way is not None:
        give_way()


@dataclass
class HistoryResult:
    seed: int
    first_day: dt.date
    until: dt.datetime
    reports: int = 0
    steps: int = 0
    timer_acts: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def build_demo_history(
    *,
    seed: int = 2026,
    days: int = DEFAULT_DAYS,
    per_day: int = DEFAULT_PER_DAY,
    until: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> HistoryResult:
    """Report and work `per_day` events a working day (fewer on rest days) from `days` days ago up to `until`.

    `until` defaults to the current minute. Needs the demo district; run outside any transaction, as it
    commits once per simulated day.
    """
    if days < 1 or per_day < 0:
        raise ValueError("days must be at least 1 and per_day not negative")
    if not Division.objects.filter(code=DISTRICT_CODE, valid_to__isnull=True).exists():
        raise ValueError("the demo district is not loaded: build it first (build_demo_district)")
    until = (until or timezone.now()).replace(second=0, microsecond=0).astimezone(dt.UTC)
    return _Simulation(seed=seed, days=days, per_day=per_day, until=until, progress=progress).run()


class _Simulation:
    def __init__(
        self,
        *,
        seed: int,
        days: int,
        per_day: int,
        until: dt.datetime,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.tz = timezone.get_current_timezone()
        self.until = until
        self.last_day = until.astimezone(self.tz).date()
        self.first_day = self.last_day - dt.timedelta(days=days)
        self.per_day = per_day
        self.progress = progress
        self.calendar = get_calendar()
        types = list(
            EventType.objects.in_force()
            .filter(parent__isnull=False, is_active=True)
            .prefetch_related("limits")
            .order_by("code")
        )
        self.types = {t.pk: t for t in types}
        self.planner = ReportPlanner(
            random.Random(f"{seed}:reports"), load_spots(), types, self.calendar.windows
        )
        self.cast = Cast()
        self.casework = Casework(random.Random(f"{seed}:casework"), self.cast)
        self.fate_rng = random.Random(f"{seed}:fates")
        self.delay_rng = random.Random(f"{seed}:delays")
        self.result = HistoryResult(seed=seed, first_day=self.first_day, until=until)
        self.clock = SimulatedClock(self._midnight(self.first_day))
        self.agenda: list[tuple[dt.datetime, int, str, Any]] = []
        self.sequence = itertools.count()
        self.fates: dict[int, Fate] = {}
        self.events: dict[int, Event] = {}  # the last known state of each event still moving
        # Event id: (token, next move, the version it was decided at).
        self.plans: dict[int, tuple[int, Move, int]] = {}
        self.retries: Counter[int] = Counter()
        self.recent: deque[tuple[dt.datetime, int, ReportSpec]] = deque()  # for repeat reports
        self.story: dict[int, Fate] = {}  # spec key: the fate the showcase gives it
        self.held: list[tuple[dt.datetime, Callable[[], Any], bool]] = []  # after-commit work of the day

    # -- the run ----------------------------------------------------------------------------------------

    def run(self) -> HistoryResult:
        started = time.monotonic()
        self._schedule_showcase()
        token = audit_context.set_current(audit_context.RequestContext(channel="command"))
        try:
            with simulated_time(self.clock):
                day = self.first_day
                while day <= self.last_day:
                    self._day(day)
                    number = (day - self.first_day).days
                    progress_write(day=day, done=number, days=(self.last_day - self.first_day).days)
                    if self.progress and (number % 10 == 0 or day == self.last_day) and number:
                        self.progress(
                            f"  模拟第 {number} 天（{day:%m-%d}）：上报 {self.result.reports} 件，"
                            f"流转 {self.result.steps} 步，用时 {time.monotonic() - started:.0f} 秒"
                        )
                    day += dt.timedelta(days=1)
        finally:
            audit_context.reset(token)
            progress_clear()
        # People read their inbox: what is more than three days old has been read an hour after it arrived.
        Notification.objects.filter(
            event__region_code__startswith=DISTRICT_CODE,
            read_at__isnull=True,
            created_at__lt=self.until - dt.timedelta(days=3),
        ).update(read_at=F("created_at") + dt.timedelta(hours=1))
        self.result.seconds = time.monotonic() - started
        self.result.counts = history_counts()
        return self.result

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz).astimezone(dt.UTC)

    def _push(self, when: dt.datetime, kind: str, payload: Any) -> None:
        heapq.heappush(self.agenda, (when.astimezone(dt.UTC), next(self.sequence), kind, payload))

    def _day(self, day: dt.date) -> None:
        start, end = self._midnight(day), min(self._midnight(day + dt.timedelta(days=1)), self.until)
        workday = self.calendar.is_workday(day)
        for spec in self.planner.day(day, workday=workday, per_day=self.per_day, tz=self.tz):
            if spec.at < self.until:
                self._push(spec.at, "report", spec)
        for hour in TICK_HOURS if workday else REST_DAY_TICK_HOURS:
            tick = start + dt.timedelta(hours=hour)
            if tick < end:
                self._push(tick, "tick", None)
        if end == self.until:
            self._push(end, "tick", None)
        while self.agenda and self.agenda[0][0] <= end:
            _give_way()
            with transaction.atomic():
                for _ in range(STEPS_PER_COMMIT):
                    if not (self.agenda and self.agenda[0][0] <= end):
                        break
                    when, _, kind, payload = heapq.heappop(self.agenda)
                    self.clock.set(when)
                    first = len(connection.run_on_commit)
                    if kind == "report":
                        self._file(payload)
                    elif kind == "wake":
                        self._wake(*payload)
                    else:
                        self._tick(when)
                    self._hold_hooks(first, when)
            _give_way()
            self._run_held_hooks()
        self.clock.set(end)

    def _hold_hooks(self, first: int, moment: dt.datetime) -> None:
        """Take the after-commit work this step queued (notifications), to run once the day has committed.

        Django keeps (savepoint ids, callable, robust) per hook (its stubs still say a pair); a step that failed
        has already lost its hooks with its savepoint.
        """
        hooks: list[Any] = connection.run_on_commit
        self.held.extend((moment, func, robust) for _, func, robust in hooks[first:])
        del hooks[first:]

    def _run_held_hooks(self) -> None:
        """Run the day's after-commit work in order, each at the moment of the step that queued it.

        One transaction for all of it: run one by one, each notification would be a commit of its own.
        """
        held, self.held = self.held, []
        with transaction.atomic():
            for moment, func, robust in held:
                self.clock.set(moment)
                if not robust:
                    func()
                    continue
                try:
                    func()
                except Exception:
                    log.exception("after-commit work failed in the demo history")

    # -- reports ----------------------------------------------------------------------------------------

    def _schedule_showcase(self) -> None:
        cases = showcase(
            self.planner, self.calendar, start=self._midnight(self.first_day), until=self.until, tz=self.tz
        )
        for spec, fate in cases:
            self.story[spec.key] = fate
            self._push(spec.at, "report", spec)

    def _file(self, spec: ReportSpec) -> None:
        fate = self.story.pop(spec.key, None)
        if fate is None:
            if spec.duplicate:
                spec = self._repeat_of_recent(spec)
            fate = draw_fate(self.fate_rng, spec.source, spec.event_type)
        actor = self._reporter(spec)
        result = s.event_report(
            actor=actor,
            event_type=spec.event_type,
            source=spec.source,
            title=spec.title,
            description=spec.description,
            lon=spec.lon,
            lat=spec.lat,
            address=spec.address,
            reporter_name=spec.reporter_name,
            reporter_phone=spec.reporter_phone,
            anonymous=spec.anonymous,
            urgency=spec.urgency,
        )
        event = result.event
        event.event_type = self.types[event.event_type_id]  # with its limits prefetched
        self.result.reports += 1
        if result.duplicate_ids and not fate.self_handle:
            fate.master_id = result.duplicate_ids[0]
        self.fates[event.pk] = fate
        self.events[event.pk] = event
        self.recent.append((spec.at, event.pk, spec))
        self._plan(event)

    def _repeat_of_recent(self, spec: ReportSpec) -> ReportSpec:
        """A second caller about something reported in the last two days: same type, a few metres away."""
        while self.recent and self.recent[0][0] < spec.at - DUPLICATE_WINDOW:
            self.recent.popleft()
        if not self.recent:
            return spec
        _, _, first = self.recent[self.planner.rng.randrange(len(self.recent))]
        point = point_near(self.planner.rng, first.lon, first.lat, metres=(5, 30))
        repeat = self.planner.make(
            at=spec.at, source=spec.source, event_type=first.event_type, spot=first.spot, point=point
        )
        return repeat

    def _reporter(self, spec: ReportSpec) -> Person | None:
        cast, rng = self.cast, self.casework.rng
        if spec.source == Source.PATROL:
            return rng.choice(cast.grid_workers[spec.spot.grid_id])
        if spec.source == Source.VILLAGE:
            committee = cast.committees[spec.spot.village_id]
            return rng.choice([p for p in cast.unit_staff(committee.pk) if p.role == Role.VILLAGE_STAFF])
        if spec.source in {Source.ONLINE, Source.OPEN311, Source.SENSOR}:
            return None
        return rng.choice(cast.role_in(f"{spec.spot.township_code}-ZHS", Role.OPERATOR))

    # -- moving events on -------------------------------------------------------------------------------

    def _decide(self, event: Event) -> Move | None:
        fate = self.fates[event.pk]
        master_status = None
        if fate.master_id is not None and event.status in {Status.REPORTED, Status.VERIFIED}:
            master_status = Event.objects.filter(pk=fate.master_id).values_list("status", flat=True).first()
        return self.casework.next_move(event, fate, master_status)

    def _plan(self, event: Event) -> None:
        """Decide the event's next step and when it is taken; forget the event when its story ends."""
        move = self._decide(event)
        if move is None:
            self._forget(event.pk)
            return
        token = next(self.sequence)
        self.plans[event.pk] = (token, move, event.version)
        self._push(self._when(event, self.fates[event.pk], move), "wake", (event.pk, token))

    def _forget(self, pk: int) -> None:
        self.plans.pop(pk, None)
        self.events.pop(pk, None)

    def _when(self, event: Event, fate: Fate, move: Move) -> dt.datetime:
        rng, now = self.delay_rng, self.clock.moment
        if fate.quick:
            seconds = rng.uniform(*QUICK_DELAY) * 60
        elif move.kind == "feed_back":
            seconds = self._handling_time(event, fate)
        else:
            low, high = DELAYS[move.kind]
            seconds = rng.uniform(low, high) * 60
            if rng.random() < LATE_SHARE:
                seconds *= rng.uniform(1.5, 3)
        return self.calendar.add_working_seconds(now, max(60, round(seconds)))

    def _handling_time(self, event: Event, fate: Fate) -> float:
        """Units feed back within 15–75% of the time left; a slow one overruns (once), then hurries when urged."""
        now, rng = self.clock.moment, self.delay_rng
        if event.deadline is None or event.deadline <= now or event.overdue:
            return rng.uniform(*URGED_DELAY) * 60
        left = self.calendar.working_seconds_between(now, event.deadline)
        if fate.slow and "slow" not in fate.done:
            fate.done.add("slow")
            return max(left, 3600) * rng.uniform(1.3, 2.0)
        return max(left * rng.uniform(0.15, 0.75), 20 * 60)

    def _load(self, pk: int) -> Event:
        event = self.events.get(pk)
        if event is None:
            event = Event.objects.get(pk=pk)
            event.event_type = self.types[event.event_type_id]
            self.events[pk] = event
        return event

    def _wake(self, pk: int, token: int) -> None:
        plan = self.plans.get(pk)
        if plan is None or plan[0] != token:
            return  # replanned since
        event = self._load(pk)
        fate = self.fates[pk]
        _, planned, version = plan
        # The timer may have acted meanwhile (a warning): whoever's turn it is acts on the event as it is now.
        move = planned if event.version == version else self._decide(event)
        if move is None:
            self._forget(pk)
            return
        try:
            move.run(event)
        except DomainError as exc:
            # Someone got there first (a master closed before the merge, ...): reread and decide again.
            self.result.failures[f"{move.kind}:{exc.code}"] += 1
            log.debug("demo step %s on event %s refused: %s", move.kind, pk, exc)
            self.events.pop(pk, None)
            self.retries[pk] += 1
            if self.retries[pk] <= 3:
                self._plan(self._load(pk))
            else:
                self._forget(pk)
            return
        self.result.steps += 1
        if move.mark:
            fate.done.add(move.mark)
            if move.mark == "merged" and fate.master_id in self.fates:
                master = self.fates[fate.master_id]
                master.done.add("repeat")
                master.supervise = True  # repeated complaints get a supervision order (督办)
        self._plan(event)

    def _tick(self, when: dt.datetime) -> None:
        outcome = timers_catch_up(now=when)
        if not outcome.acted:
            return
        self.result.timer_acts += outcome.acted
        acts = Transition.objects.filter(action__in=TIMER_ACTIONS, at=when, actor__isnull=True)
        changed: dict[int, bool] = {}
        for pk, action in acts.values_list("event_id", "action"):
            changed[pk] = changed.get(pk, False) or action != "warn"
        for pk in sorted(changed):
            self.events.pop(pk, None)
            if changed[pk] and pk in self.plans:
                # Escalated or urged: the new holder (or the urged unit) takes it up from now.
                self._plan(self._load(pk))
