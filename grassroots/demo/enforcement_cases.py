"""A year of 行政处罚案件 at 综合行政执法西塘中队 in the demo (DOMAIN.md §7; seed 000: one team enforces the 1,073
powers moved down to Xitang): on-the-spot fines and warnings (简易程序), general cases at every stage — leads, 立案,
evidence, 告知, hearings with the 90 日 paused, 法制审核 and 集体讨论 for major cases, decisions, service, payment
(a few late, with the 3% a day), court enforcement, 结案 and 归档 — a few not filed, a few stalled past their limit,
and some opened from the 综合执法 platform's events and linked to them.

Every case goes through the real services (`grassroots.enforcement.services`) under the simulated clock
(`simclock.py`), all cases' steps in one time order (so case numbers follow 立案 through the year), leaving the
history, clocks, audit rows, documents with their digests and links that real use leaves. A step whose moment is
still to come is left undone: the open work. The same seed gives the same year; `count` makes a bigger one.
"""

import datetime as dt
import heapq
import itertools
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from grassroots.core.checkdigits import uscc_build
from grassroots.draws.models import Inspector
from grassroots.draws.services import inspector_register
from grassroots.enforcement.choices import CaseStatus, FilingCondition, PowerCategory
from grassroots.enforcement.models import CaseCounter, CaseDocument, EnforcementCase, Evidence, Power
from grassroots.enforcement.services import decisions as d
from grassroots.enforcement.services import investigation as i
from grassroots.enforcement.services.cases import (
    case_approve_filing,
    case_open,
    case_refuse_filing,
    case_request_filing,
)
from grassroots.enforcement.services.common import Clocks, live_clock
from grassroots.enforcement.services.limits import earliest_hearing_day, late_fee
from grassroots.events.models import Event
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.market.models import MarketEntity
from grassroots.org.choices import PlatformKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI, get_calendar
from grassroots.workflow.models import Clock, Link

from .enforcement_cases_story import GENERAL, Story, facts_of, story_of
from .identities import IdentityMaker
from .names import DISTRICT_CODE
from .photos import site_photo
from .simclock import SimulatedClock, simulated_time

XITANG = "330421102"
SQUAD = f"{XITANG}-ZFZD"
DEFAULT_CASES = 200
SPAN_DAYS = 365
POWERS = 16  # the squad's powers the year's cases fall under
CONDITIONS = list(FilingCondition.values)


@dataclass
class Team:
    """Who works the cases: the squad, its certified officers, the township's leader as 负责人, the squad's legal
    officer (法制审核) and the enforcement office's staff member who chairs hearings."""

    unit: Unit
    head: Person
    reviewer: Person
    chair: Person
    officers: list[Person]
    powers: list[Power]


@dataclass
class CasesResult:
    cases: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    simple: int = 0
    linked: int = 0
    overdue: int = 0
    fines: Decimal = Decimal(0)
    documents: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        states = "、".join(f"{CaseStatus(s).label} {n}" for s, n in self.by_status.most_common())
        return (
            f"综合执法：近一年行政处罚案件 {self.cases} 件（简易程序 {self.simple} 件，由事件转来 {self.linked} 件，"
            f"当前超期 {self.overdue} 件），罚款已缴 {self.fines:,.0f} 元，文书 {self.documents} 份，"
            f"用时 {self.seconds:.1f} 秒\n  状态：{states}"
        )


def demo_cases() -> QuerySet[EnforcementCase]:
    return EnforcementCase.objects.filter(unit__division__code__startswith=DISTRICT_CODE)


def build_demo_cases(*, seed: int, count: int = DEFAULT_CASES, now: dt.datetime | None = None) -> CasesResult:
    """The year up to `now` (default: now); nothing if the demo already has cases or the squad has no powers."""
    team_parts = _team_parts()
    if team_parts is None or demo_cases().exists():
        return CasesResult()
    started = time.monotonic()
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(f"{seed}:enforcement-cases")
    with transaction.atomic():
        clock = SimulatedClock(now - dt.timedelta(days=SPAN_DAYS + 5))
        with simulated_time(clock):
            officers_rng = random.Random(
                f"{seed}:enforcement-officers"
            )  # the year's draws do not depend on it
            team = _team(team_parts, officers_rng, today=timezone.localdate(clock.moment))
            CaseYear(team=team, rng=rng, clock=clock, now=now, count=count).run()
    return tally(now=now, seconds=time.monotonic() - started)


def _team_parts() -> tuple[Unit, Person, Person, Person, list[Power]] | None:
    unit = Unit.objects.filter(code=SQUAD).first()
    head = Person.objects.filter(role=Role.LEADER, unit__code=f"{XITANG}-DZB", is_active=True).order_by("pk")
    staff = Person.objects.filter(role=Role.DEPARTMENT_STAFF, is_active=True).order_by("pk")
    reviewer = staff.filter(unit=unit).first() if unit else None
    chair = staff.filter(unit__code=f"{XITANG}-ZFB").first()
    if unit is None or reviewer is None or chair is None or not head.exists():
        return None
    powers = [
        p
        for p in Power.objects.filter(unit=unit, category=PowerCategory.PENALTY, published=True).order_by(
            "code"
        )
        if len(p.discretion or []) == 5
    ]
    if len(powers) < POWERS:
        return None
    return unit, head.first(), reviewer, chair, powers  # type: ignore[return-value]


def _team(
    parts: tuple[Unit, Person, Person, Person, list[Power]], rng: random.Random, *, today: dt.date
) -> Team:
    """The squad's inspectors all in the officers' pool with valid certificates (the market demo registered two
    of them for its joint plans; the rest are registered here, by the squad's own staff member)."""
    unit, head, reviewer, chair, powers = parts
    people = list(Person.objects.filter(unit=unit, role=Role.INSPECTOR, is_active=True).order_by("pk"))
    pooled = set(Inspector.objects.filter(person__in=people).values_list("person_id", flat=True))
    for n, person in enumerate(people, start=1):
        if person.pk not in pooled:
            inspector_register(
                actor=reviewer,
                person=person,
                certificate_no=f"ZF{XITANG}Z{n:02d}",
                valid_to=today + dt.timedelta(days=rng.randint(800, 1500)),
                unit=unit,
                fields=["市容管理", "城乡规划", "环境保护"],
            )
    valid = Inspector.objects.filter(
        person__in=people, certificate_valid_to__gt=today + dt.timedelta(days=400)
    )
    officers = [p for p in people if p.pk in set(valid.values_list("person_id", flat=True))]
    return Team(unit, head, reviewer, chair, officers, powers)


class CaseYear:
    """Every case's life as a generator that takes one step and yields the moment of its next; all lives are
    interleaved in time order under the simulated clock."""

    def __init__(
        self, *, team: Team, rng: random.Random, clock: SimulatedClock, now: dt.datetime, count: int
    ) -> None:
        self.team, self.rng, self.clock, self.now = team, rng, clock, now
        self.calendar = get_calendar()
        self.start = now - dt.timedelta(days=SPAN_DAYS)
        self.queue: list[tuple[dt.datetime, int, Iterator[dt.datetime]]] = []
        self.order = itertools.count()
        self.forms = itertools.count(1)
        self.identities = IdentityMaker(rng)
        self.entities = list(MarketEntity.objects.filter(region_code__startswith=XITANG).order_by("pk")[:400])
        self.events = list(
            Event.objects.filter(
                platform=PlatformKind.ENFORCEMENT,
                region_code__startswith=XITANG,
                reported_at__gte=self.start,
                merged_into__isnull=True,
            ).order_by("reported_at", "pk")
        )
        self.count = count
        team.powers = sorted(rng.sample(team.powers, POWERS), key=lambda p: p.code)

    def run(self) -> None:
        stories = [story_of(self.rng, n, self.count) for n in range(self.count)]
        events = self.rng.sample(self.events, min(len(self.events), max(1, self.count // 12)))
        general = [s for s in stories if s.fate in GENERAL and s.stall == ""]
        for story, event in zip(
            self.rng.sample(general, min(len(general), len(events))), events, strict=False
        ):
            story.event = event
        for story in stories:
            opened = self._opening(story)
            self.push(opened, self.life(story))
        while self.queue:
            when, _, life = heapq.heappop(self.queue)
            if when >= self.now:
                continue
            self.clock.set(when)
            following = next(life, None)
            if following is not None:
                self.push(following, life)

    def push(self, when: dt.datetime, life: Iterator[dt.datetime]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), life))

    # -- moments ----------------------------------------------------------------------------------------------

    def work(self, after: dt.datetime, low: int, high: int) -> dt.datetime:
        """A moment of office hours on the first working day at least `low`–`high` days after `after`."""
        day = after.astimezone(SHANGHAI).date() + dt.timedelta(days=self.rng.randint(low, high))
        while not self.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        minutes = self.rng.randint(510, 1010)
        if 705 < minutes < 810:
            minutes += 105
        moment = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI) + dt.timedelta(minutes=minutes)
        return max(moment, after + dt.timedelta(minutes=5))

    def _opening(self, story: Story) -> dt.datetime:
        if story.event is not None:
            return self.work(story.event.reported_at, 1, 3)
        if story.stall == "lead":
            return self.work(self.now - dt.timedelta(days=self.rng.randint(40, 70)), 0, 0)
        if story.stall == "case":
            return self.work(self.now - dt.timedelta(days=self.rng.randint(130, 220)), 0, 0)
        return self.work(self.start, 0, SPAN_DAYS - 1)

    # -- a case's life ---------------------------------------------------------------------------------------

    def life(self, story: Story) -> Iterator[dt.datetime]:
        t, rng = self.team, self.rng
        officers = rng.sample(t.officers, 2)
        lead = officers[0]
        party = self._party(story)
        power = rng.choice(t.powers)
        case = case_open(
            actor=self._opener(story, lead),
            unit=t.unit,
            power=power,
            officers=officers,
            major=story.major,
            occurred_on=timezone.localdate(self.clock.moment) - dt.timedelta(days=rng.randint(0, 6)),
            **party,
            **facts_of(rng, story, power, party),
        )
        if story.fate == "simple":
            yield from self._simple(case, story, lead, party)
            return
        if story.stall == "lead":
            return
        yield self.work(self.clock.moment, 0, 3)
        case_request_filing(actor=lead, case=case)
        yield self.work(self.clock.moment, 1, 3)
        if story.fate == "not_filed":
            case_refuse_filing(actor=t.head, case=case, ground=story.ground, reason=story.ground_reason)
            if story.archived:
                yield self.work(self.clock.moment, 10, 40)
                d.case_archive(actor=lead, case=case)
            return
        case_approve_filing(actor=t.head, case=case, conditions=CONDITIONS, note="同意立案")
        for n in range(rng.randint(1, 3)):
            yield self.work(self.clock.moment, 0, 6)
            self._evidence(case, rng.choice(officers), n)
        if story.stall == "case":
            return
        if story.extend:
            yield self.work(self.clock.moment, 45, 70)
            i.case_extend(actor=t.head, case=case, reason="案情复杂，需进一步调查取证", requested_by=lead)
        yield self.work(self.clock.moment, 5, 25)
        if story.fate != "penalty":
            yield from self._without_penalty(case, story, lead)
            return
        yield from self._penalty(case, story, lead, party)

    def _simple(
        self, case: EnforcementCase, story: Story, lead: Person, party: dict[str, Any]
    ) -> Iterator[dt.datetime]:
        rng = self.rng
        yield self.clock.moment + dt.timedelta(minutes=rng.randint(10, 40))
        d.case_decide_on_spot(
            actor=lead,
            case=case,
            penalty_kind=story.kind,
            amount=story.amount,
            form_number=f"浙综执当罚No.{XITANG}{next(self.forms):05d}",
            recipient=party["party_representative"] or party["party_name"],
            note="违法事实确凿并有法定依据，当场作出处罚决定",
        )
        if story.kind == "fine":
            yield self.work(self.clock.moment, 0, 10)
            self._pay(case, lead, late=False)
        yield self.work(self.clock.moment, 0, 3)
        d.case_close(actor=lead, case=case, report="当场处罚决定已履行完毕，结案。")
        if story.archived:
            yield self.work(self.clock.moment, 7, 30)
            d.case_archive(actor=lead, case=case)

    def _without_penalty(self, case: EnforcementCase, story: Story, lead: Person) -> Iterator[dt.datetime]:
        d.case_decide(actor=self.team.head, case=case, outcome=story.outcome, note=story.ground_reason)
        if story.outcome != "transfer":
            yield self.work(self.clock.moment, 1, 5)
            d.case_serve(actor=lead, case=case, method="direct", recipient=case.party_name)
        yield self.work(self.clock.moment, 1, 7)
        d.case_close(actor=lead, case=case, report=f"{story.ground_reason}，结案。")
        if story.archived:
            yield self.work(self.clock.moment, 10, 40)
            d.case_archive(actor=lead, case=case)

    def _penalty(
        self, case: EnforcementCase, story: Story, lead: Person, party: dict[str, Any]
    ) -> Iterator[dt.datetime]:
        t, rng = self.team, self.rng
        amount = self._amount(case.power, story.level) if story.kind == "fine" else None
        i.case_propose(actor=lead, case=case, penalty_kind=story.kind, level=story.level, amount=amount,
                       note="调查终结，建议给予行政处罚")  # fmt: skip
        if story.major:
            yield self.work(self.clock.moment, 0, 2)
            i.case_submit_review(actor=lead, case=case)
            yield self.work(self.clock.moment, 1, 4)
            i.case_review(
                actor=t.reviewer, case=case, passed=True, opinion="事实清楚，证据确凿，适用依据正确，程序合法"
            )
        yield self.work(self.clock.moment, 0, 2)
        i.case_notify(actor=lead, case=case)
        window = live_clock(case, Clocks.HEARING_REQUEST)
        assert window is not None and window.due_at is not None
        if story.hearing:
            yield min(self.work(self.clock.moment, 1, 3), window.due_at - dt.timedelta(hours=2))
            i.case_request_hearing(actor=lead, case=case, note="当事人书面申请听证")
            yield self.work(self.clock.moment, 0, 1)
            notice_on = timezone.localdate(self.clock.moment)
            hearing_on = earliest_hearing_day(notice_on) + dt.timedelta(days=rng.randint(0, 5))
            while not self.calendar.is_workday(hearing_on):
                hearing_on += dt.timedelta(days=1)
            i.case_schedule_hearing(actor=lead, case=case, notice_on=notice_on, hearing_on=hearing_on,
                                    place="西塘镇综合行政执法中队听证室", chair=t.chair)  # fmt: skip
            yield dt.datetime.combine(hearing_on, dt.time(9, 30), tzinfo=SHANGHAI)
            absent = rng.random() < 0.2
            record = (
                ""
                if absent
                else "当事人对违法事实无异议，请求从轻处罚；调查人员出示了证据并陈述了处罚理由和依据。"
            )
            i.case_hold_hearing(actor=t.chair, case=case, record=record, party_absent=absent)
            yield self.work(self.clock.moment, 1, 4)
            i.case_submit_review(actor=lead, case=case)
            yield self.work(self.clock.moment, 1, 3)
            i.case_review(actor=t.reviewer, case=case, passed=True, opinion="听证程序合法，维持拟处罚意见")
        else:
            yield self.work(window.due_at, 0, 3)
        if story.major:
            yield self.work(self.clock.moment, 0, 3)
            i.case_discuss(
                actor=t.head, case=case, discussion="负责人集体讨论：同意按拟处罚意见作出处罚决定。"
            )
        yield self.work(self.clock.moment, 0, 2)
        d.case_decide(actor=t.head, case=case, outcome="penalty", amount=case.proposed_amount)
        yield self.work(self.clock.moment, 0, 4)
        method = rng.choice(["direct", "direct", "direct", "post", "electronic"])
        recipient = party["party_representative"] or party["party_name"]
        d.case_serve(actor=lead, case=case, method=method, recipient=recipient)
        if story.kind == "fine":
            if story.enforced:
                yield self.work(self.clock.moment, 90, 100)
                d.case_execute(actor=lead, case=case, manner="enforced",
                               note="当事人逾期不缴纳罚款，已申请嘉善县人民法院强制执行")  # fmt: skip
            else:
                yield (
                    self.work(self.clock.moment, 17, 30)
                    if story.late
                    else self.work(self.clock.moment, 2, 12)
                )
                self._pay(case, lead, late=story.late)
        yield self.work(self.clock.moment, 1, 7)
        d.case_close(actor=lead, case=case, report="处罚决定已执行完毕，结案。")
        if story.archived:
            yield self.work(self.clock.moment, 10, 40)
            d.case_archive(actor=lead, case=case)

    def _opener(self, story: Story, lead: Person) -> Person:
        """Who registers the lead: its officer, or the head when the event is beyond the officer's sight (an
        event not dispatched to the squad)."""
        if story.event is None or events_visible_to(lead).filter(pk=story.event.pk).exists():
            return lead
        return self.team.head

    # -- what the steps are given ------------------------------------------------------------------------------

    def _party(self, story: Story) -> dict[str, Any]:
        if story.organisation and self.entities:
            e = self.rng.choice(self.entities)
            return {
                "party_kind": "organisation",
                "party_name": e.name,
                "party_id_number": e.uscc,
                "party_representative": e.legal_rep,
                "party_phone": e.phone,
                "party_address": e.address,
                "market_entity": e,
            }
        if story.organisation:
            body = f"MA{self.rng.randrange(16**6):06X}"
            return {"party_kind": "organisation", "party_name": f"嘉善县西塘镇{self.rng.choice('鑫华兴盛恒')}记商行",
                    "party_id_number": uscc_build(authority="9", kind="2", division="330421", org_body=body),
                    "party_representative": "", "party_phone": "", "party_address": ""}  # fmt: skip
        person = self.identities.make(min_age=20, max_age=70)
        return {
            "party_kind": "person",
            "party_name": person.name,
            "party_id_number": person.id_number,
            "party_representative": "",
            "party_phone": person.phone,
            "party_address": "",
        }

    def _amount(self, power: Power, level: str) -> Decimal:
        row = next(r for r in power.discretion if r.get("level") == level)
        low = Decimal(str(row.get("min") or 0))
        high = Decimal(str(row.get("max") or low * 2 or 1000))
        steps = int((high - low) // 100)
        return low + 100 * self.rng.randint(0, max(steps, 0)) if steps else low

    def _evidence(self, case: EnforcementCase, officer: Person, n: int) -> None:
        photo = n == 0 or self.rng.random() < 0.4
        i.case_add_evidence(
            actor=officer,
            case=case,
            kind="photo" if photo else "note",
            file=site_photo(self.rng, f"现场{n + 1}.png") if photo else None,
            description="违法现场照片" if photo else "询问笔录摘要：当事人对违法事实供认不讳。",
            lon=case.lon,
            lat=case.lat,
        )

    def _pay(self, case: EnforcementCase, officer: Person, *, late: bool) -> None:
        assert case.decided_amount is not None and case.payment_due_on is not None
        paid_on = timezone.localdate(self.clock.moment)
        fee = late_fee(case.decided_amount, due_on=case.payment_due_on, paid_on=paid_on)
        d.case_execute(actor=officer, case=case, manner="paid", paid_amount=case.decided_amount + fee,
                       paid_on=paid_on, note="当事人已通过银行缴纳罚款" + ("及加处罚款" if fee else ""))  # fmt: skip


# -- counting and deleting ------------------------------------------------------------------------------------


def tally(*, now: dt.datetime, seconds: float = 0.0) -> CasesResult:
    cases = demo_cases()
    ids = cases.values("pk")
    late = Clock.objects.filter(workflow="case", object_id__in=ids, state="running", due_at__lte=now)
    return CasesResult(
        cases=cases.count(),
        by_status=Counter(
            dict(cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        ),
        simple=cases.filter(procedure="simple").count(),
        linked=cases.filter(event__isnull=False).count(),
        overdue=late.values("object_id").distinct().count(),
        fines=cases.filter(execution_manner="paid").aggregate(n=Sum("decided_amount"))["n"] or Decimal(0),
        documents=CaseDocument.objects.filter(case__in=cases).count(),
        seconds=seconds,
    )


def delete_demo_cases() -> None:
    """Delete the demo's cases (with their history, evidence and documents), their clocks, links and counters, and
    their files once the transaction commits. Audit rows stay."""
    cases = demo_cases()
    ids = list(cases.values_list("pk", flat=True))
    files = [f for f in Evidence.objects.filter(case_id__in=ids).values_list("file", flat=True) if f]
    files += list(CaseDocument.objects.filter(case_id__in=ids).values_list("file", flat=True))
    Clock.objects.filter(workflow="case", object_id__in=ids).delete()
    Link.objects.filter(
        Q(source_workflow="case", source_id__in=ids) | Q(target_workflow="case", target_id__in=ids)
    ).delete()
    cases.delete()
    CaseCounter.objects.filter(unit__division__code__startswith=DISTRICT_CODE).delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
