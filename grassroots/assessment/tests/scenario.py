"""A small fixed history, written through the real services under a controlled clock, whose indicators are
computed by hand in the tests (test_indicators.py carries the tally event by event). A grid worker's own reports are
checked by the command room (by video): the reporter does not check their own case.

March 2026 is the period under test (no holidays; working hours 08:30–12:00 and 13:30–17:30, so five working days
after Monday 09:20 is the next Monday 09:20, and an event is due to close one working day after its handling
deadline). February 24 is the first working day after the Spring Festival; April 4–6 is Qingming.

    E1  grid A  alice patrol   dispatched to the agency, fed back and closed on time, rated 5
    E2  grid B  citizen phone  verified on time by gina, handled late by the squad, closed late, rated 2
    E3  grid A  citizen online verified late by alice: invalid
    E4  grid A  alice patrol   voided (不予立案)
    E5  grid A  alice patrol   self-handled on the spot and closed at level 1
    E6  grid A  alice patrol   agency returns it; squad reworks once; closed; reopened; closed again before due
    E7  grid A  citizen phone  a duplicate of E6, merged into it (counted nowhere)
    E8  grid B  gina patrol    reported and fed back in February, due to close 3 March, closed 4 March (late)
    E9  grid A  alice patrol   dispatched 25 March, due in April, still with the agency
    E10 grid B  gina patrol    dispatched to the squad 16 March, never signed; supervised by the leader
    E11 grid A  alice patrol   agency gets a two-day extension, feeds back within it, closed on time
    E12 grid B  gina patrol    joint: agency leads, the squad assists and returns its part; closed on time
    E13 grid B  gina patrol    agency escalates it before its deadline; the centre sends it to the squad (L4)
    E14 grid B  gina patrol    market supervision, registered, not yet dispatched
    E15 grid A  alice patrol   reported 30 March, not yet triaged
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_png
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..periods import CHINA

IN_A: dict[str, Any] = {"lon": 120.885, "lat": 30.945}
IN_B: dict[str, Any] = {"lon": 120.895, "lat": 30.945}
PNG = sample_png()
AS_OF = dt.datetime(2026, 4, 15, 12, 0, tzinfo=CHINA)


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场.png", PNG, content_type="image/png")


def moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CHINA)


class Clock:
    """Stands in for django.utils.timezone.now."""

    def __init__(self) -> None:
        self.now = AS_OF

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)

    def at(self, text: str) -> "Clock":
        self.now = moment(text)
        return self


@dataclass
class Scenario:
    world: World
    clock: Clock
    gina: Person
    sam: Person
    eve: Person
    cora: Person
    leo: Person
    rita: Person  # staff of the agency's county department (rates it)
    ray: Person  # staff of the squad's county department
    centre: Unit
    squad: Unit
    agency_dept: Unit
    squad_dept: Unit
    events: dict[str, Event]

    def e(self, name: str) -> Event:
        return Event.objects.get(pk=self.events[name].pk)


def build(world: World, monkeypatch: Any) -> Scenario:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    w = world
    centre = Unit.objects.create(
        code="330421-ZHZX",
        name="嘉善县社会治理综合指挥中心",
        kind=UnitKind.COMMAND_CENTRE,
        division=w.district,
    )
    agency_dept = Unit.objects.create(
        code="330421-SCJGJ", name="嘉善县市场监督管理局", kind=UnitKind.COUNTY_DEPARTMENT, division=w.district
    )
    squad_dept = Unit.objects.create(
        code="330421-ZHZFJ", name="嘉善县综合行政执法局", kind=UnitKind.COUNTY_DEPARTMENT, division=w.district
    )
    Unit.objects.filter(pk=w.agency.pk).update(parent=agency_dept)
    w.agency.refresh_from_db()
    squad = Unit.objects.create(
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=w.township,
        parent=squad_dept,
    )
    sc = Scenario(
        world=w,
        clock=clock,
        gina=make_person("gina", "钱佳怡", Role.GRID_WORKER, grid=w.grid_b, division=w.village_b),
        sam=make_person("sam", "孙建华", Role.SHIFT_LEAD, division=w.township, unit=w.command_room),
        eve=make_person("eve", "吴志刚", Role.DEPARTMENT_STAFF, unit=squad),
        cora=make_person("cora", "周晓燕", Role.CENTRE_OPERATOR, division=w.district, unit=centre),
        leo=make_person("leo", "郑国强", Role.LEADER, division=w.township),
        rita=make_person("rita", "冯丽", Role.DEPARTMENT_STAFF, unit=agency_dept),
        ray=make_person("ray", "陈锐", Role.DEPARTMENT_STAFF, unit=squad_dept),
        centre=centre,
        squad=squad,
        agency_dept=agency_dept,
        squad_dept=squad_dept,
        events={},
    )
    _history(sc)
    clock.now = AS_OF
    return sc


def _history(sc: Scenario) -> None:
    w, at = sc.world, sc.clock.at
    oscar, sam, alice, gina, dora, eve, cora = w.oscar, sc.sam, w.alice, sc.gina, w.dora, sc.eve, sc.cora
    zf0103 = EventType.objects.get(code="ZF0103")
    zf0101 = EventType.objects.get(code="ZF0101")
    sc0101 = EventType.objects.get(code="SC0101")
    ev = sc.events

    def report(
        name: str, when: str, actor: Person, source: str, where: dict[str, Any], kind: Any = zf0103, **kw: Any
    ) -> Event:
        at(when)
        ev[name] = s.event_report(
            actor=actor, event_type=kind, source=source, title=name, **where, **kw
        ).event
        return ev[name]

    def fresh(name: str) -> Event:
        return Event.objects.select_related("event_type").get(pk=ev[name].pk)

    def step(when: str, fn: Any, name: str, **kw: Any) -> None:
        at(when)
        fn(event=fresh(name), **kw)

    # E8: February into March.
    report("E8", "2026-02-24 09:00", gina, Source.PATROL, IN_B)
    step("2026-02-24 09:10", s.event_register, "E8", actor=oscar)
    step("2026-02-24 09:20", s.event_dispatch, "E8", actor=oscar, lead_unit_id=w.agency.pk)
    step("2026-02-25 09:00", s.event_sign, "E8", actor=dora)
    step("2026-02-27 10:00", s.event_feed_back, "E8", actor=dora, feedback="已整改")
    step("2026-03-04 10:00", s.event_check, "E8", actor=oscar, passed=True)
    step("2026-03-04 11:00", s.event_close, "E8", actor=sam)

    # E1: the happy path.
    report("E1", "2026-03-02 09:00", alice, Source.PATROL, IN_A)
    step("2026-03-02 09:10", s.event_register, "E1", actor=oscar)
    step("2026-03-02 09:20", s.event_dispatch, "E1", actor=oscar, lead_unit_id=w.agency.pk)
    step("2026-03-03 09:00", s.event_sign, "E1", actor=dora)
    step("2026-03-03 09:30", s.event_handle, "E1", actor=dora)
    step("2026-03-05 10:00", s.event_feed_back, "E1", actor=dora, feedback="已拆除")
    step("2026-03-05 14:00", s.event_check, "E1", actor=oscar, passed=True)
    step("2026-03-05 15:00", s.event_callback, "E1", actor=oscar, satisfaction=5)
    step("2026-03-06 10:00", s.event_close, "E1", actor=sam)

    # E2: a citizen's call, verified on time, handled late.
    report(
        "E2",
        "2026-03-02 10:00",
        oscar,
        Source.PHONE,
        IN_B,
        reporter_name="市民",
        reporter_phone="13900000000",
    )
    step("2026-03-02 10:05", s.event_verify, "E2", actor=oscar, verifier=gina)
    step("2026-03-02 11:00", s.event_verify, "E2", actor=gina, valid=True)
    step("2026-03-02 11:10", s.event_register, "E2", actor=oscar)
    step("2026-03-02 11:20", s.event_dispatch, "E2", actor=oscar, lead_unit_id=sc.squad.pk)
    step("2026-03-03 09:00", s.event_sign, "E2", actor=eve)
    step("2026-03-12 10:00", s.event_feed_back, "E2", actor=eve, feedback="已处理")
    step("2026-03-12 14:00", s.event_check, "E2", actor=gina, passed=True)
    step("2026-03-12 15:00", s.event_callback, "E2", actor=oscar, satisfaction=2)
    step("2026-03-13 10:00", s.event_close, "E2", actor=sam)

    # E3: verified late, and not true.
    report("E3", "2026-03-03 09:00", oscar, Source.ONLINE, IN_A, reporter_name="网民")
    step("2026-03-03 09:00", s.event_verify, "E3", actor=oscar, verifier=alice)
    step("2026-03-04 16:00", s.event_verify, "E3", actor=alice, valid=False, note="现场无此问题")

    # E4: voided. E5: fixed on the spot.
    report("E4", "2026-03-04 09:00", alice, Source.PATROL, IN_A)
    step("2026-03-04 09:30", s.event_void, "E4", actor=oscar, reason="不属于受理范围")
    report("E5", "2026-03-04 10:00", alice, Source.PATROL, IN_A, kind=zf0101)
    step("2026-03-04 10:20", s.event_self_handle, "E5", actor=alice, note="已清理", files=[png()])
    step("2026-03-04 10:40", s.event_close, "E5", actor=sam)

    # E6: returned, reworked, closed, reopened, closed again; E7 merged into it.
    report("E6", "2026-03-05 09:00", alice, Source.PATROL, IN_A)
    step("2026-03-05 09:05", s.event_register, "E6", actor=oscar)
    step("2026-03-05 09:10", s.event_dispatch, "E6", actor=oscar, lead_unit_id=w.agency.pk)
    report("E7", "2026-03-05 09:30", oscar, Source.PHONE, IN_A, reporter_name="邻居")
    step("2026-03-05 09:40", s.event_merge, "E7", actor=oscar, into=fresh("E6"))
    step("2026-03-05 10:00", s.event_return, "E6", actor=dora, reason="不属本所职责")
    step("2026-03-05 10:30", s.event_dispatch, "E6", actor=oscar, lead_unit_id=sc.squad.pk)
    step("2026-03-05 11:00", s.event_sign, "E6", actor=eve)
    step("2026-03-06 10:00", s.event_feed_back, "E6", actor=eve, feedback="已处理")
    step("2026-03-06 14:00", s.event_check, "E6", actor=oscar, passed=False, note="未拆除到位")
    step("2026-03-09 09:00", s.event_sign, "E6", actor=eve)
    step("2026-03-09 10:00", s.event_feed_back, "E6", actor=eve, feedback="已全部拆除")
    step("2026-03-09 14:00", s.event_check, "E6", actor=oscar, passed=True)
    step("2026-03-10 10:00", s.event_close, "E6", actor=sam)
    step("2026-03-11 09:00", s.event_reopen, "E6", actor=sam, reason="群众反映又搭起来了")
    step("2026-03-11 09:30", s.event_dispatch, "E6", actor=oscar, lead_unit_id=sc.squad.pk)
    step("2026-03-11 10:00", s.event_sign, "E6", actor=eve)
    step("2026-03-12 10:00", s.event_feed_back, "E6", actor=eve, feedback="已再次拆除")
    step("2026-03-12 14:00", s.event_check, "E6", actor=oscar, passed=True)
    step("2026-03-13 10:00", s.event_close, "E6", actor=sam)

    # E11: an approved extension.
    report("E11", "2026-03-09 09:00", alice, Source.PATROL, IN_A)
    step("2026-03-09 09:10", s.event_register, "E11", actor=oscar)
    step("2026-03-09 09:20", s.event_dispatch, "E11", actor=oscar, lead_unit_id=w.agency.pk)
    step("2026-03-10 09:00", s.event_sign, "E11", actor=dora)
    at("2026-03-12 10:00")
    request = s.event_request_extension(actor=dora, event=fresh("E11"), days="2", reason="需协调产权人")
    step("2026-03-12 11:00", s.event_decide_extension, "E11", actor=sam, request_id=request.pk, approve=True)
    step("2026-03-17 10:00", s.event_feed_back, "E11", actor=dora, feedback="已拆除")
    step("2026-03-17 14:00", s.event_check, "E11", actor=oscar, passed=True)
    step("2026-03-18 10:00", s.event_close, "E11", actor=sam)

    # E12: joint handling; the assisting squad returns its part.
    report("E12", "2026-03-10 09:00", gina, Source.PATROL, IN_B)
    step("2026-03-10 09:10", s.event_register, "E12", actor=oscar)
    step(
        "2026-03-10 09:20",
        s.event_dispatch,
        "E12",
        actor=oscar,
        lead_unit_id=w.agency.pk,
        assist_unit_ids=[sc.squad.pk],
    )
    step("2026-03-10 10:00", s.event_return, "E12", actor=eve, reason="无需执法中队参与")
    step("2026-03-11 09:00", s.event_sign, "E12", actor=dora)
    step("2026-03-13 10:00", s.event_feed_back, "E12", actor=dora, feedback="已整改")
    step("2026-03-13 14:00", s.event_check, "E12", actor=oscar, passed=True)
    step("2026-03-13 15:00", s.event_close, "E12", actor=sam)

    # E10: never signed; the leader supervises it.
    report("E10", "2026-03-16 09:00", gina, Source.PATROL, IN_B)
    step("2026-03-16 09:10", s.event_register, "E10", actor=oscar)
    step("2026-03-16 09:20", s.event_dispatch, "E10", actor=oscar, lead_unit_id=sc.squad.pk)
    at("2026-03-25 10:00")
    s.event_supervise(actor=sc.leo, event=fresh("E10"), note="请尽快处置")

    # E13: escalated by the agency before its deadline; handled at the district level by the squad.
    report("E13", "2026-03-16 09:00", gina, Source.PATROL, IN_B)
    step("2026-03-16 09:10", s.event_register, "E13", actor=oscar)
    step("2026-03-16 09:20", s.event_dispatch, "E13", actor=oscar, lead_unit_id=w.agency.pk)
    step("2026-03-17 10:00", s.event_escalate, "E13", actor=dora, reason="涉及跨镇，超出本级权限")
    step("2026-03-17 11:00", s.event_dispatch, "E13", actor=cora, lead_unit_id=sc.squad.pk)
    step("2026-03-18 09:00", s.event_sign, "E13", actor=eve)
    step("2026-03-20 10:00", s.event_feed_back, "E13", actor=eve, feedback="已处置")
    step("2026-03-20 14:00", s.event_check, "E13", actor=cora, passed=True)
    step("2026-03-23 10:00", s.event_close, "E13", actor=cora)

    # E14: market supervision, registered only. E9: due in April. E15: not yet triaged.
    report("E14", "2026-03-20 09:00", gina, Source.PATROL, IN_B, kind=sc0101)
    step("2026-03-20 09:10", s.event_register, "E14", actor=oscar)
    report("E9", "2026-03-25 09:00", alice, Source.PATROL, IN_A)
    step("2026-03-25 09:10", s.event_register, "E9", actor=oscar)
    step("2026-03-25 09:20", s.event_dispatch, "E9", actor=oscar, lead_unit_id=w.agency.pk)
    step("2026-03-26 09:00", s.event_sign, "E9", actor=dora)
    report("E15", "2026-03-30 09:00", alice, Source.PATROL, IN_A)
