"""A year of petitions (信访件) at 西塘镇信访办公室 in the demo (seed 000: 受理信访310余件): visits of up to five
representatives, letters, the web, calls and faxes; accepted, refused, routed on, returned (a few transferred from
嘉善县信访局 outside the township's remit) or joined to the same matter; a township leader takes each accepted case
(包案) and answers it, a few after the one extension; some petitioners ask for 复查, a few then for 复核; the rest
closed when their 30 日 ran out. A handful are still open, one or two past their limit.

Every petition goes through the real services (`grassroots.governance.services.petition*`) under the simulated
clock, all petitions' steps in one time order, leaving the history, clocks, notices (.docx with digests), audit rows
and links that real use leaves. A step whose moment is still to come is left undone. Same seed, same year."""

import datetime as dt
import heapq
import itertools
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.governance.models import Petition, PetitionDocument
from grassroots.governance.petition_choices import PetitionStatus
from grassroots.governance.services import petition_handling as h
from grassroots.governance.services import petitions as p
from grassroots.governance.services.petition_common import Clocks, live_clock
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI, get_calendar
from grassroots.workflow.models import Clock, Link

from .identities import IdentityMaker
from .names import DISTRICT_CODE
from .simclock import SimulatedClock, simulated_time

XITANG = "330421102"
OFFICE = f"{XITANG}-XFB"
DEFAULT_PETITIONS = 330
SPAN_DAYS = 365
CHANNELS = [("visit", 35), ("letter", 18), ("online", 22), ("phone", 20), ("fax", 5)]
KINDS = [("claim", 60), ("suggestion", 22), ("accusation", 18)]
MATTERS = [
    ("claim", "反映土地征收补偿款未足额发放", "要求核实补偿标准并补发差额。"),
    ("claim", "反映企业拖欠工资", "在镇内某企业务工，被拖欠三个月工资，要求协调支付。"),
    ("claim", "反映宅基地审批久拖未决", "申请宅基地已逾半年未获答复，要求尽快审批。"),
    ("claim", "反映农村低保资格被取消", "家庭困难，低保资格被取消，要求重新审核。"),
    ("claim", "反映房屋因邻近施工开裂", "邻近工地施工导致房屋墙体开裂，要求鉴定并赔偿。"),
    ("suggestion", "建议增设村内路灯", "村内主干道夜间照明不足，建议增设路灯。"),
    ("suggestion", "建议整治河道水质", "河道水体发黑发臭，建议清淤整治。"),
    ("suggestion", "建议增开公交班次", "早晚高峰公交班次少，建议增开。"),
    ("accusation", "举报村干部违规发包集体土地", "村集体土地发包未经村民代表大会讨论，要求查处。"),
    ("accusation", "举报企业偷排污水", "某企业夜间向河道偷排污水，要求查处。"),
]
OPINIONS = {
    "support": "经调查核实，信访人反映的问题属实，已责成相关单位限期解决。",
    "explain": "经调查核实，相关事项已按政策办理，现就有关政策和办理情况作出解释说明。",
    "not_support": "经调查核实，信访人的诉求缺乏事实和政策依据，不予支持。",
}


@dataclass
class PetitionsResult:
    petitions: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    documents: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        states = "、".join(f"{PetitionStatus(s).label} {n}" for s, n in self.by_status.most_common())
        return (
            f"信访：近一年登记信访件 {self.petitions} 件（受理 {self.accepted} 件），告知文书 {self.documents} 份，"
            f"用时 {self.seconds:.1f} 秒\n  状态：{states}"
        )


def demo_petitions() -> QuerySet[Petition]:
    return Petition.objects.filter(unit__division__code__startswith=DISTRICT_CODE)


def build_demo_petitions(
    *, seed: int, count: int = DEFAULT_PETITIONS, now: dt.datetime | None = None
) -> PetitionsResult:
    """The year up to `now`; nothing if the demo already has petitions or Xitang has no petition office."""
    office = Unit.objects.filter(code=OFFICE).select_related("division").first()
    staff = Person.objects.filter(unit=office, is_active=True).order_by("pk").first() if office else None
    leaders = list(
        Person.objects.filter(role=Role.LEADER, unit__code=f"{XITANG}-DZB", is_active=True).order_by("pk")
    )
    if office is None or staff is None or not leaders or demo_petitions().exists():
        return PetitionsResult()
    started = time.monotonic()
    now = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        clock = SimulatedClock(now - dt.timedelta(days=SPAN_DAYS + 5))
        with simulated_time(clock):
            Year(office, staff, leaders, random.Random(f"{seed}:petitions"), clock, now, count).run()
    rows = demo_petitions()
    return PetitionsResult(
        petitions=rows.count(),
        by_status=Counter(rows.values_list("status", flat=True)),
        accepted=rows.filter(Q(status=PetitionStatus.ACCEPTED) | Q(outcome__gt="")).count(),
        documents=PetitionDocument.objects.filter(petition__in=rows).count(),
        seconds=time.monotonic() - started,
    )


class Year:
    """Every petition's life as a generator that takes one step and yields the moment of its next; all lives are
    interleaved in time order under the simulated clock (the audit log's order is time order)."""

    def __init__(self, office: Unit, staff: Person, leaders: list[Person], rng: random.Random,
                 clock: SimulatedClock, now: dt.datetime, count: int) -> None:  # fmt: skip
        self.office, self.staff, self.leaders, self.rng = office, staff, leaders, rng
        self.clock, self.now, self.count = clock, now, count
        self.calendar = get_calendar()
        self.start = now - dt.timedelta(days=SPAN_DAYS)
        self.queue: list[tuple[dt.datetime, int, Iterator[dt.datetime]]] = []
        self.order = itertools.count()
        self.people = IdentityMaker(rng)
        self.villages = list(
            Division.objects.filter(level=DivisionLevel.VILLAGE, parent__code=XITANG).order_by("code")
        )
        self.accepted: list[Petition] = []

    def run(self) -> None:
        for _ in range(self.count):
            self.push(self.work(self.start, 0, SPAN_DAYS - 1), self.life())
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

    def work(self, after: dt.datetime, low: int, high: int) -> dt.datetime:
        """A moment of office hours on the first working day at least `low`–`high` days after `after`."""
        day = after.astimezone(SHANGHAI).date() + dt.timedelta(days=self.rng.randint(low, high))
        while not self.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(8, 30), tzinfo=SHANGHAI)
        moment += dt.timedelta(minutes=self.rng.randint(0, 480))
        return max(moment, after + dt.timedelta(minutes=5))

    def _pick(self, weights: list[tuple[str, int]]) -> str:
        return self.rng.choices([k for k, _ in weights], [w for _, w in weights])[0]

    def life(self) -> Iterator[dt.datetime]:
        rng, now = self.rng, self.clock.moment
        channel = self._pick(CHANNELS)
        kind, title, content = rng.choice(MATTERS)
        representatives = rng.randint(1, 5) if channel == "visit" else 1
        people = [self.people.make() for _ in range(representatives)]
        transferred = rng.random() < 0.1
        x = p.petition_register(
            actor=self.staff, unit=self.office, village=rng.choice(self.villages) if self.villages else None,
            channel=channel, kind=kind, title=title, content=content,
            petitioners=[p.PetitionerIn(name=i.name, id_number=i.id_number, phone=i.phone) for i in people],
            people_count=representatives + (rng.randint(0, 10) if representatives == 5 else 0),
            transferred_from="嘉善县信访局" if transferred else "", now=now,
        )  # fmt: skip
        yield self.work(self.clock.moment, 0, 6)
        fate = rng.random()
        if transferred and fate < 0.3:
            p.petition_object(
                actor=self.staff, petition=x, reason="该事项属县级部门职权范围", now=self.clock.moment
            )
            return
        if fate < 0.06:
            p.petition_refuse(actor=self.staff, petition=x, reason="该诉求已通过诉讼程序处理，请依法定途径解决",
                              now=self.clock.moment)  # fmt: skip
            return
        if fate < 0.13:
            p.petition_transfer(
                actor=self.staff, petition=x, to="嘉善县人力资源和社会保障局", now=self.clock.moment
            )
            return
        same = [a for a in self.accepted if a.title == title and a.pk != x.pk]
        if fate < 0.17 and same:
            p.petition_join(actor=self.staff, petition=x, into=same[-1], now=self.clock.moment)
            return
        leader = rng.choice(self.leaders)
        p.petition_accept(actor=self.staff, petition=x, leader=leader, now=self.clock.moment)
        self.accepted.append(x)
        if rng.random() < 0.1:
            yield self.work(self.clock.moment, 40, 55)
            h.petition_extend(actor=leader, petition=x, days=rng.choice([15, 20, 30]),
                              reason="需会同相关部门进一步调查核实", now=self.clock.moment)  # fmt: skip
            yield self.work(self.clock.moment, 10, 25)
        else:
            yield self.work(self.clock.moment, 10, 58 if rng.random() < 0.97 else 66)
        outcome = rng.choices(list(OPINIONS), [30, 55, 15])[0]
        h.petition_answer(
            actor=leader, petition=x, outcome=outcome, text=OPINIONS[outcome], now=self.clock.moment
        )
        yield from self._after(x, leader, outcome)

    def after_window(self, x: Petition, name: str) -> dt.datetime:
        """A working moment after the petitioner's 30 日 to ask ran out (it may end after a holiday)."""
        clock = live_clock(x, name)
        assert clock is not None and clock.due_at is not None
        return self.work(clock.due_at, 0, 3)

    def _after(self, x: Petition, leader: Person, outcome: str) -> Iterator[dt.datetime]:
        rng = self.rng
        if outcome == "support" or rng.random() > 0.15:
            yield self.after_window(x, Clocks.REVIEW_REQUEST)
            h.petition_close(actor=self.staff, petition=x, now=self.clock.moment)
            return
        yield self.work(self.clock.moment, 3, 25)
        h.petition_request_review(actor=self.staff, petition=x, now=self.clock.moment)
        yield self.work(self.clock.moment, 10, 27)
        h.petition_answer_review(actor=leader, petition=x, outcome=outcome, text=OPINIONS[outcome],
                                 now=self.clock.moment)  # fmt: skip
        if rng.random() > 0.3:
            yield self.after_window(x, Clocks.RECHECK_REQUEST)
            h.petition_close(actor=self.staff, petition=x, now=self.clock.moment)
            return
        yield self.work(self.clock.moment, 3, 25)
        h.petition_request_recheck(actor=self.staff, petition=x, now=self.clock.moment)
        yield self.work(self.clock.moment, 10, 27)
        h.petition_answer_recheck(actor=leader, petition=x, outcome=outcome, text=OPINIONS[outcome],
                                  now=self.clock.moment)  # fmt: skip


def delete_demo_petitions() -> None:
    """Delete the demo's petitions (history, petitioners, notices), their clocks and links, and their files once
    the transaction commits. Audit rows stay."""
    rows = demo_petitions()
    ids = list(rows.values_list("pk", flat=True))
    files = list(PetitionDocument.objects.filter(petition_id__in=ids).values_list("file", flat=True))
    Clock.objects.filter(workflow="petition", object_id__in=ids).delete()
    Link.objects.filter(
        Q(source_workflow="petition", source_id__in=ids) | Q(target_workflow="petition", target_id__in=ids)
    ).delete()
    rows.filter(joined_into__isnull=False).delete()
    rows.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])  # type: ignore[func-returns-value]
