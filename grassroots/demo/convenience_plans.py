"""How many applications each demo township gets and what happens to each (seeds 000 and 002): 西塘镇 exactly 8,663
accepted of which 8,644 finished (99.8%); 魏塘街道 about 140 a working day, nine in ten without coming in (不见面),
every rating good; the other townships fewer, by type. Plans are drawn here; `convenience_lives` realises them.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from grassroots.convenience.choices import Channel, DeliveryMethod, Grade, RatingChannel, TownshipType
from grassroots.workcal.calendar import WorkCalendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import PauseKind

from .identities import IdentityMaker

MINUTE = 60
XITANG, WEITANG = "330421102", "330421001"
SPECIAL = (PauseKind.TESTING, PauseKind.EXPERT_REVIEW, PauseKind.NOTICE, PauseKind.HEARING)


@dataclass(frozen=True)
class ItemRef:
    """What a life needs to know about a published item."""

    pk: int
    code: str
    name: str
    statutory: float
    promised: float
    limit_source: str
    zero_visit: bool
    at_most_once: bool
    at_village: bool
    office: str  # the suffix of the township office that handles it behind the window
    county_unit: int | None  # the county department that decides it, for an item decided at district level
    materials: tuple[tuple[int, str, str], ...]  # pk, name, need


@dataclass(frozen=True)
class Place:
    """One township's centre, as the lives there need it."""

    centre_id: int
    centre_unit_id: int
    code: str
    windows: tuple[int, ...]
    clerks: tuple[int, ...]
    agents: tuple[tuple[int, int, str], ...]  # person, village division, village code
    offices: dict[str, int]  # the township's units by code suffix
    staff: dict[int, tuple[int, ...]]  # unit id: people who decide there

    def back_office(self, item: ItemRef) -> int | None:
        """Where the window passes the item on (分办), or None when the centre handles it itself."""
        if item.county_unit is not None:
            return item.county_unit
        unit = self.offices.get(item.office)
        return None if unit == self.centre_unit_id else unit


@dataclass
class Plan:
    item: ItemRef
    channel: str
    received_at: dt.datetime
    clerk: int
    window: int | None
    forwarded_at: dt.datetime | None = None
    agent: tuple[int, int, str] | None = None
    reject: bool = False
    correction: tuple[dt.datetime, dt.datetime | None, bool] | None = (
        None  # at intake: supplied at, in person
    )
    pending: tuple[int, ...] = ()  # 容缺
    suspension: tuple[float, float, str] | None = None  # share of the budget used first, days paused, kind
    later_correction: tuple[float, float | None] | None = (
        None  # share used, days until supplied (None: not yet)
    )
    withdraw: float | None = None  # share of the budget used when the applicant withdrew
    enquiry: bool = False  # came in once more to ask (a second run)
    share: float = 0.5  # of the budget used when decided (> 1: late)
    quick: bool = False  # decided on the day
    decide_at: dt.datetime | None = None  # set: overrides share; with `open_`: never decided
    open_: bool = False
    refused: bool = False
    delivery: str = DeliveryMethod.ELECTRONIC
    deliver_after: int = 600  # working seconds
    archive_after: int = 0
    rating: tuple[int, str, int] | None = None  # grade, channel, working seconds after delivery
    rectify: list[int] = field(default_factory=list)  # working seconds to contact, to fix, to review
    token: str = ""
    applicant: Any = None  # an `identities.Identity`
    seed: int = 0  # for the details drawn while realising, so that a plan realised again comes out the same


@dataclass(frozen=True)
class Profile:
    """The rates of one township's applications."""

    per_day: float  # a working day's applications
    channels: tuple[tuple[str, float], ...]
    rated: float  # share of delivered ones rated
    bad: float  # share of ratings 不满意 or 非常不满意
    basic: float  # share of ratings 基本满意
    rejected: float = 0.01
    withdrawn: float = 0.008
    corrected: float = 0.05
    suspended: float = 0.01
    later_correction: float = 0.008
    late: float = 0.04
    exact: tuple[int, int] | None = None  # (accepted, finished) to hit exactly; then every one is accepted


MIX = (
    (Channel.WINDOW, 0.5),
    (Channel.ONLINE, 0.3),
    (Channel.AGENT, 0.14),
    (Channel.PHONE, 0.03),
    (Channel.MAIL, 0.03),
)
PROFILES = {
    # Seed 000: 8,663 accepted, 8,644 finished in the period.
    XITANG: Profile(
        per_day=0,
        channels=(
            (Channel.WINDOW, 0.55),
            (Channel.ONLINE, 0.27),
            (Channel.AGENT, 0.12),
            (Channel.PHONE, 0.03),
            (Channel.MAIL, 0.03),
        ),
        rated=0.72,
        bad=0.012,
        basic=0.04,
        rejected=0,
        withdrawn=0,
        suspended=0,
        later_correction=0,
        exact=(8663, 8644),
    ),
    # Seed 002 (望亭, played by the demo's street): about 140 a working day, ≥ 90% 不见面, satisfaction 100%.
    WEITANG: Profile(
        per_day=145,  # about 140 accepted a working day
        channels=(
            (Channel.WINDOW, 0.07),
            (Channel.ONLINE, 0.66),
            (Channel.AGENT, 0.12),
            (Channel.PHONE, 0.09),
            (Channel.MAIL, 0.06),
        ),
        rated=0.6,
        bad=0,
        basic=0,
        rejected=0.006,
        withdrawn=0.005,
    ),
}
BY_TYPE = {
    TownshipType.CENTRAL: Profile(per_day=60, channels=MIX, rated=0.65, bad=0.015, basic=0.05),
    TownshipType.DEVELOPING: Profile(per_day=30, channels=MIX, rated=0.65, bad=0.02, basic=0.06),
    TownshipType.ECOLOGICAL: Profile(per_day=15, channels=MIX, rated=0.7, bad=0.02, basic=0.05),
}


def profile_of(code: str, township_type: str) -> Profile:
    return PROFILES.get(code) or BY_TYPE[TownshipType(township_type)]


class Planner:
    """Draws the plans of one township's applications over the working days before `now`."""

    def __init__(
        self,
        calendar: WorkCalendar,
        now: dt.datetime,
        days: int,
        rng: random.Random,
        identities: IdentityMaker,
    ) -> None:
        self.cal, self.now, self.rng, self.identities = calendar, now, rng, identities
        self.day = calendar.unit_seconds(LimitUnit.WORKING_DAYS)
        today = timezone.localtime(now).date()
        self.days = [
            d
            for d in (today - dt.timedelta(days=n) for n in range(days - 1, -1, -1))
            if calendar.is_workday(d)
        ]

    def _opening(self, day: dt.date) -> int:
        midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        return self.cal.working_clock(midnight)

    def _span(self, day: dt.date) -> float:
        """The share of the day's working time already past (1 for every day before today)."""
        return min(1.0, max(0.0, (self.cal.working_clock(self.now) - self._opening(day)) / self.day))

    def arrivals(self, profile: Profile) -> list[dt.datetime]:
        """When each application is taken in, in working hours, in order."""
        rng = self.rng
        weights = [self._span(d) * (1.15 if d.weekday() == 0 else 1.0) for d in self.days]
        if profile.exact is not None:
            counts = [0] * len(self.days)
            for i in rng.choices(range(len(self.days)), weights, k=profile.exact[0]):
                counts[i] += 1
        else:
            counts = [max(0, round(rng.gauss(profile.per_day, profile.per_day * 0.12) * w)) for w in weights]
        moments = []
        for day, n in zip(self.days, counts, strict=True):
            opening, span = self._opening(day), self._span(day) * self.day
            for _ in range(n):
                moments.append(self.cal.moment_at(opening + int(rng.uniform(0.002, 0.998) * span)))
        return sorted(moments)

    def plans(self, place: Place, items: Sequence[tuple[ItemRef, float]], profile: Profile) -> list[Plan]:
        village = [(i, w) for i, w in items if i.at_village]
        return [self._plan(place, items, village, profile, t0) for t0 in self.arrivals(profile)]

    def _plan(
        self,
        place: Place,
        items: Sequence[tuple[ItemRef, float]],
        village: Sequence[tuple[ItemRef, float]],
        profile: Profile,
        t0: dt.datetime,
    ) -> Plan:
        rng, day = self.rng, self.day
        exact = profile.exact is not None
        channel = rng.choices([c for c, _ in profile.channels], [w for _, w in profile.channels])[0]
        pool = village if channel == Channel.AGENT and village and place.agents else items
        if channel == Channel.AGENT and pool is items:
            channel = Channel.ONLINE
        item = rng.choices([i for i, _ in pool], [w for _, w in pool])[0]
        if not item.at_most_once:
            channel = Channel.WINDOW  # a site visit: the applicant comes, and comes back for the result
        elif item.zero_visit and channel == Channel.WINDOW and rng.random() < 0.7:
            channel = Channel.ONLINE
        plan = Plan(
            item=item,
            channel=channel,
            received_at=t0,
            clerk=rng.choice(place.clerks),
            window=rng.choice(place.windows) if channel in (Channel.WINDOW, Channel.AGENT) else None,
            applicant=self.identities.make(min_age=20, max_age=80),
            seed=rng.getrandbits(32),
            token=f"{rng.getrandbits(96):024x}",
        )
        if channel == Channel.AGENT:
            plan.agent = rng.choice(place.agents)
            wait = rng.uniform(0.1, 1.2) * day
            if exact:  # taken in at the township by now: forwarded before
                plan.forwarded_at = self.cal.moment_at(self.cal.working_clock(t0) - int(wait))
            else:
                plan.forwarded_at = t0
                plan.received_at = self.cal.moment_at(self.cal.working_clock(t0) + int(wait))
        self._intake(plan, profile)
        self._course(plan, profile)
        self._result(plan, profile)
        return plan

    def _intake(self, plan: Plan, profile: Profile) -> None:
        rng, t0 = self.rng, plan.received_at
        if rng.random() < profile.rejected:
            plan.reject = True
            return
        if rng.random() < profile.corrected:
            wait = int(rng.uniform(0.3, 4) * self.day)
            supplied: dt.datetime | None = self.cal.moment_at(self.cal.working_clock(t0) + wait)
            if profile.exact is not None and supplied and supplied > self.now:  # every one accepted by now
                room = (self.now - t0).total_seconds()
                supplied = t0 + dt.timedelta(seconds=room * rng.uniform(0.3, 0.9)) if room > 3600 else None
            if supplied is not None:
                plan.correction = (t0, supplied, plan.channel == Channel.WINDOW and rng.random() < 0.5)
        tolerated = [pk for pk, _, need in plan.item.materials if need == "tolerated"]
        if tolerated and plan.correction is None and rng.random() < 0.03:
            plan.pending = (tolerated[0],)

    def _course(self, plan: Plan, profile: Profile) -> None:
        rng = self.rng
        if plan.item.statutory >= 20 and rng.random() < profile.suspended:
            plan.suspension = (rng.uniform(0.1, 0.4), rng.uniform(2, 8), rng.choice(SPECIAL))
        if rng.random() < profile.later_correction:
            plan.later_correction = (rng.uniform(0.05, 0.4), rng.uniform(0.5, 3))
        if rng.random() < profile.withdrawn:
            plan.withdraw = rng.uniform(0.1, 0.6)
        plan.enquiry = rng.random() < 0.004
        if rng.random() < profile.late:
            plan.share = rng.uniform(1.05, 1.6)
        elif plan.item.promised <= 1 and rng.random() < 0.5:
            plan.quick = True
        else:
            plan.share = rng.betavariate(1.3, 3) * 0.95
        plan.refused = rng.random() < 0.01

    def _result(self, plan: Plan, profile: Profile) -> None:
        rng, day = self.rng, self.day
        item = plan.item
        if not item.at_most_once:
            plan.delivery = DeliveryMethod.WINDOW
        elif plan.channel == Channel.WINDOW:
            plan.delivery = (
                DeliveryMethod.WINDOW
                if rng.random() < 0.03
                else rng.choice((DeliveryMethod.ELECTRONIC, DeliveryMethod.ELECTRONIC, DeliveryMethod.MAIL))
            )
        elif item.zero_visit:
            plan.delivery = rng.choice((DeliveryMethod.ELECTRONIC, DeliveryMethod.MAIL))
        else:
            plan.delivery = rng.choices(
                (DeliveryMethod.WINDOW, DeliveryMethod.ELECTRONIC, DeliveryMethod.MAIL), (0.15, 0.6, 0.25)
            )[0]
        plan.deliver_after = int(
            {
                DeliveryMethod.ELECTRONIC: rng.uniform(1, 30) * MINUTE,
                DeliveryMethod.MAIL: rng.uniform(0.2, 1) * day,
                DeliveryMethod.WINDOW: rng.uniform(0.3, 2.5) * day,
            }[plan.delivery]
        )
        plan.archive_after = int(rng.uniform(2, 8) * day)
        if rng.random() < profile.rated:
            r = rng.random()
            if r < profile.bad:
                grade = rng.choice((Grade.DISSATISFIED, Grade.VERY_DISSATISFIED))
            elif r < profile.bad + profile.basic:
                grade = Grade.BASICALLY
            else:
                grade = Grade.VERY_SATISFIED if rng.random() < 0.75 else Grade.SATISFIED
            if plan.delivery == DeliveryMethod.WINDOW:
                channel, wait = RatingChannel.DEVICE, 0
            elif rng.random() < 0.75:
                channel, wait = RatingChannel.LINK, int(rng.uniform(0.05, 1.5) * day)
            else:
                channel, wait = RatingChannel.PHONE, int(rng.uniform(1, 3) * day)
            plan.rating = (int(grade), channel, wait)
            plan.rectify = [int(rng.uniform(a, b) * day) for a, b in ((0.1, 1.2), (1, 12), (0.5, 3))]
