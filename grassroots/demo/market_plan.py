"""The demo's year at 西塘市场监管所, planned: the inspections of the year (routine, the special campaigns of
`market_checks.CAMPAIGNS`, the penalty cases of `market_checks.PENALTY_CASES`) and the tasks waiting now, each
with its target, items, inspectors, working day and what is found and becomes of it. `market_year.py` runs them.

How much is found is planned, not left to chance: the routine, campaign and penalty inspections write up
`PLANNED_FINDINGS` problems between them, more often at higher-risk and food businesses; the drawn targets add
about ten more (`market_year.py`) and the complaints a few (`market_complaints.py`), so the year's total lands
near seed 000's 65 problems."""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.events.models import Event
from grassroots.market.choices import EntityStatus, InspectionKind
from grassroots.market.models import Inspection, MarketEntity
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI, get_calendar

from .market_checks import CAMPAIGNS, ITEM_BY_NUMBER, ITEMS, PENALTY_CASES, PenaltyCase
from .market_inspections import XITANG, Office, Pool

ROUTINE = 120  # routine inspections (日常检查) over the year; the campaigns add about 80, the draws about 60
PLANNED_FINDINGS = 54
UPCOMING = 6  # arranged in the last days, due in the coming ones
RISK_WEIGHT = {"A": 1.0, "B": 1.6, "C": 3.0, "D": 4.0}
FOOD_TRADES = frozenset({"F5211", "F5212", "H6210", "H6220", "H6241", "C1391"})
Problem = tuple[int, int, str]  # item number, point index, description


@dataclass(frozen=True)
class Target:
    entity: MarketEntity
    trade: str
    risk: str

    @property
    def food(self) -> bool:
        return self.trade in FOOD_TRADES


@dataclass
class Life:
    """One inspection as planned: who, what, on which working day, what is found and what becomes of it."""

    target: Target
    kind: str
    items: list[int]
    inspectors: list[Person]
    day: int  # index into Year.workdays of the inspection (for an upcoming one: the day it is due)
    campaign: str = ""
    problems: list[Problem] = field(default_factory=list)
    not_found: bool = False
    fate: str = "ontime"  # ontime, late, partial, stalled, refused
    rectify_days: int = 10
    case: PenaltyCase | None = None
    inspection: Inspection | None = None
    drawn_risk: str = ""  # a drawn target's class in the draw: what is found is decided on the day
    event: Event | None = None  # the complaint (投诉举报核查)


class Planner:
    """The year's inspections as planned, before anything is written."""

    def __init__(self, *, office: Office, pool: Pool, rng: random.Random, now: dt.datetime) -> None:
        self.office, self.pool, self.rng, self.now = office, pool, rng, now
        self.today = timezone.localdate(now)
        calendar = get_calendar()
        first = self.today - dt.timedelta(days=380)
        span = (first + dt.timedelta(days=n) for n in range(380 + 90))
        self.workdays = [day for day in span if calendar.is_workday(day)]
        self.index = {day: n for n, day in enumerate(self.workdays)}
        self.start = next(
            n for n, day in enumerate(self.workdays) if day >= self.today - dt.timedelta(days=365)
        )
        self.end = next(n for n, day in enumerate(self.workdays) if day >= self.today)  # today, or the next
        entities = MarketEntity.objects.filter(region_code__startswith=XITANG, status=EntityStatus.OPERATING)
        self.targets = [Target(e, e.industry_code, e.risk_class) for e in entities.order_by("pk")]
        self.by_pk = {t.entity.pk: t for t in self.targets}
        self.load: Counter[int] = Counter()

    def moment(self, day: int, earliest: int = 540, latest: int = 1010) -> dt.datetime:
        """A moment of working day `day` between two times (minutes after midnight), lunch left out."""
        minutes = self.rng.randint(earliest, latest)
        if 705 < minutes < 810:
            minutes += 105
        start = dt.datetime.combine(self.workdays[day], dt.time(), tzinfo=SHANGHAI)
        return start + dt.timedelta(minutes=minutes, seconds=self.rng.randint(0, 59))

    def _due(self, life: Life) -> Inspection:
        assert life.inspection is not None
        life.inspection.due_on = self.workdays[life.day]
        return life.inspection

    def _pick(self, targets: list[Target], taken: set[int] | frozenset[int] = frozenset()) -> Target:
        weights = [
            0.0 if t.entity.pk in taken else RISK_WEIGHT[t.risk] * (1.5 if t.food else 1.0) for t in targets
        ]
        return self.rng.choices(targets, weights)[0]

    def _items(self, target: Target, within: tuple[int, ...] = ()) -> list[int]:
        applicable = [i.number for i in ITEMS if target.trade in i.trades and i.number != 10]
        if within:
            return [n for n in within if n in applicable] or [within[0]]
        return sorted(self.rng.sample(applicable, min(len(applicable), self.rng.choice([1, 1, 2]))))

    def inspectors_for(self, day: int, target: Target, *, joint: bool = False) -> list[Person]:
        date = self.workdays[day]
        related = self.pool.relations.get(target.entity.pk, set())
        eligible = [
            i for i in self.pool.office if i.certificate_valid_to >= date and i.person_id not in related
        ]
        eligible.sort(key=lambda i: self.load[i.pk] + self.rng.random() * 6)
        chosen = eligible[: 1 if joint and self.pool.squad else 2]
        if joint and self.pool.squad:
            chosen.append(self.pool.squad[self.load.total() % len(self.pool.squad)])
        self.load.update(i.pk for i in chosen)
        return [i.person for i in chosen]

    def _routine(self) -> list[Life]:
        lives = []
        for _ in range(ROUTINE):
            day = self.rng.randrange(self.start, self.end)
            target = self._pick(self.targets)
            items = self._items(target)
            lives.append(Life(target, InspectionKind.ROUTINE, items, self.inspectors_for(day, target), day))
        return lives

    def _campaigns(self) -> list[Life]:
        lives = []
        for campaign in CAMPAIGNS:
            for year in (self.today.year - 1, self.today.year):
                window = [
                    n
                    for n, day in enumerate(self.workdays)
                    if dt.date(year, *campaign.start) <= day <= dt.date(year, *campaign.end)
                ]
                inside = [n for n in window if self.start <= n < self.end]
                count = round(campaign.count * len(inside) / max(len(window), 1))
                targets = [t for t in self.targets if t.trade in campaign.trades]
                taken: set[int] = set()
                for _ in range(min(count, len(targets))):
                    day, target = self.rng.choice(inside), self._pick(targets, taken)
                    taken.add(target.entity.pk)
                    life = Life(
                        target,
                        InspectionKind.CAMPAIGN,
                        self._items(target, campaign.items),
                        self.inspectors_for(day, target, joint=campaign.joint),
                        day,
                        campaign=campaign.name.format(year=year),
                    )
                    lives.append(life)
        return lives

    def _cases(self) -> list[Life]:
        """The penalty cases, each on an entity of its trade, early enough for the decision to be on record."""
        lives = []
        taken: set[int] = set()
        for case in PENALTY_CASES:
            targets = [
                t
                for t in self.targets
                if t.trade in case.trades
                and t.entity.pk not in taken
                and (not case.who or (t.entity.kind == "individual") == (case.who == "individual"))
            ]
            if not targets:
                continue
            target = self._pick(targets)
            taken.add(target.entity.pk)
            day = self.rng.randrange(self.start + 3, self.end - 45)
            items = sorted({case.item, *self._items(target)})
            life = Life(
                target, InspectionKind.ROUTINE, items, self.inspectors_for(day, target), day, case=case
            )
            life.problems = [(case.item, case.point, case.finding)]
            if self.rng.random() < 0.3:
                life.problems += [p for p in self.problems_for(life, 1) if p[:2] != (case.item, case.point)]
            life.fate = "refused" if case.refused else "late" if self.rng.random() < 0.2 else "ontime"
            lives.append(life)
        return lives

    def problems_for(self, life: Life, n: int) -> list[Problem]:
        points = [
            (number, i, point.findings)
            for number in life.items
            if life.target.trade in ITEM_BY_NUMBER[number].trades
            for i, point in enumerate(ITEM_BY_NUMBER[number].points)
            if point.findings
        ]
        chosen = self.rng.sample(points, min(n, len(points)))
        return [(number, i, self.rng.choice(texts)) for number, i, texts in chosen]

    def _choose_problems(self, lives: list[Life], cases: list[Life]) -> None:
        """Spend the findings on the inspections, more often where the risk is higher, at food businesses and in
        campaigns; three inspections of the last fortnight are among them (their re-checks are still to come) and
        two older ones were never re-checked (overdue, still open)."""
        budget = PLANNED_FINDINGS - sum(len(life.problems) for life in cases)
        candidates = list(lives)
        recent = [life for life in lives if life.day >= self.end - 10]
        first = self.rng.sample(recent, min(3, len(recent)))
        chosen = []
        while budget > 0 and candidates:
            weights = [
                RISK_WEIGHT[c.target.risk]
                * (1.3 if c.target.food else 1.0)
                * (1.4 if c.kind == InspectionKind.CAMPAIGN else 1.0)
                for c in candidates
            ]
            life = first.pop() if first else candidates[self.rng.choices(range(len(candidates)), weights)[0]]
            candidates.remove(life)
            life.problems = self.problems_for(life, min(budget, self.rng.choices([1, 2, 3], [6, 3, 1])[0]))
            budget -= len(life.problems)
            self.fate(life)
            chosen.append(life)
        older = [life for life in chosen if life.day < self.end - 30 and life.fate != "partial"]
        for life in self.rng.sample(older, min(2, len(older))):
            life.fate = "stalled"  # no re-check on record: overdue, open
        for life in candidates:
            life.not_found = life.kind == InspectionKind.ROUTINE and self.rng.random() < 0.04

    def fate(self, life: Life) -> None:
        roll = self.rng.random()
        life.rectify_days = self.rng.choice([5, 7, 10, 10, 10, 15])
        if roll < 0.08:
            life.fate = "partial" if len(life.problems) > 1 else "ontime"
        elif roll < 0.2:
            life.fate = "late"

    def _upcoming(self) -> list[Life]:
        """Tasks waiting now: arranged in the last days, due in the coming ones; two for the demo login."""
        lives = []
        item = ITEM_BY_NUMBER[6]
        for n in range(UPCOMING):
            joint = n < 2 and self.office.login is not None
            targets = [t for t in self.targets if t.trade in item.trades] if joint else self.targets
            target = self._pick(targets)
            due = self.end + self.rng.randint(1, 6)
            items = [6] if joint else self._items(target)
            inspectors = self.inspectors_for(self.end - 1, target, joint=joint)
            if joint and self.office.login is not None:
                inspectors[-1] = self.office.login
            kind = InspectionKind.CAMPAIGN if joint else InspectionKind.ROUTINE
            life = Life(target, kind, items, inspectors, due)
            life.campaign = (
                f"{self.today:%Y}年{self.today.month}月店招店牌和户外广告联合检查" if joint else ""
            )
            lives.append(life)
        return lives
