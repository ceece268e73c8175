"""A hand-counted set of enforcement cases for the figures, built through the services with their times given.

Two teams: 西塘镇综合行政执法队 (tests/support.py: Olga, Owen, Oliver; Lena heads it) and 魏塘街道综合行政执法队 in
another township (Peng Yi and Peng Er; Wu heads it). Counted for June 2026 on 10 July 2026 (AS_OF):

| case | unit, officers | what happened | counts in June |
|---|---|---|---|
| C1 | 西塘 olga owen | 立案 1 June 00:00:00 (the period's first moment) | filed |
| C2 | 西塘 olga oliver | 立案 3 Mar; fine 2,000 decided 20 May (in time); paid; 结案 5 June | closed, general, on time |
| C3 | 西塘 owen oliver | 立案 5 Jan; fine 5,000 decided 10 June (90 日 ran out on 7 April); paid; 结案 15 June | closed, general, late; penalty 5,000 |
| C4 | 西塘 olga owen | 立案 10 Jan, still investigating | overdue now (running, due 11 April) |
| C5 | 西塘 olga owen | lead 1 June, 不予立案 8 June | not filed |
| C6 | 西塘 olga owen | simple procedure: fine 200 on 12 June; paid 13 June; 结案 14 June | closed (not general), penalty 200, simple |
| C7 | 西塘 olga oliver | 立案 4 May; notified 20 May; hearing asked 21 May, held 5 June | hearing |
| C8 | 西塘 owen oliver | 立案 30 June 23:59:59 (the period's last second) | filed |
| C9 | 西塘 olga owen | 立案 1 July 00:00:00 | — (July) |
| C10 | 西塘 olga owen | 立案 31 May 23:59:59 | — (May) |
| C11 | 魏塘 peng1 peng2 | 立案 3 June; warning decided 20 June | filed; penalty (no amount) |
| C12 | 西塘 olga oliver | 立案 1 Apr; 不予处罚 (minor) 15 June; served 16 June; 结案 17 June | closed, general, on time |
| C13 | 西塘 owen oliver | 立案 5 Jan; notified 1 Apr; hearing asked 8 Apr, after the 90 日 ran out (due 8 April 00:00): paused | overdue now (paused, budget used up) |
"""

import datetime as dt
from dataclasses import dataclass, field

from grassroots.conftest import World, make_person
from grassroots.geo.models import Division
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import PowerCategory
from ..models import EnforcementCase, Power
from ..services import decisions as d
from ..services import investigation as i
from ..services.cases import case_approve_filing, case_refuse_filing, case_request_filing
from .support import ALL_CONDITIONS, DISCRETION, Team, build_team, certify, open_case

AS_OF = dt.datetime(2026, 7, 10, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class Scene:
    world: World
    team: Team
    other: Team  # 魏塘街道's team
    weitang: Division
    cases: dict[str, EnforcementCase] = field(default_factory=dict)

    def case(self, name: str) -> EnforcementCase:
        return self.cases[name]

    def pks(self, *names: str) -> set[int]:
        return {self.cases[n].pk for n in names}


def build_other_team(world: World) -> tuple[Team, Division]:
    weitang = Division.objects.create(
        code="330421001", name="魏塘街道", level="township", kind="town", parent=world.district
    )
    unit = Unit.objects.create(
        code="330421001-ZFD", name="魏塘街道综合行政执法队", kind=UnitKind.TOWNSHIP_OFFICE, division=weitang
    )
    power = Power.objects.create(
        code="330217019001",
        name="对擅自占用城市道路、广场等公共场所进行经营活动的行政处罚",
        category=PowerCategory.PENALTY,
        violation="擅自占道经营",
        basis="《城市市容和环境卫生管理条例》第十四条",
        penalty_basis="《城市市容和环境卫生管理条例》第三十六条第（二）项",
        unit=unit,
        field="市容环境",
        discretion=DISCRETION,
        published=True,
    )
    officers: list[Person] = []
    for n, (username, name) in enumerate([("peng1", "彭一"), ("peng2", "彭二")], start=11):
        person = make_person(username, name, Role.INSPECTOR, unit=unit)
        certify(person, unit, n)
        officers.append(person)
    team = Team(
        world=world,
        unit=unit,
        power=power,
        officers=officers,
        expired=officers[0],
        lena=make_person("wu", "吴海", Role.LEADER, division=weitang),
        rita=make_person("writa", "魏法", Role.DEPARTMENT_STAFF, unit=unit),
        hank=make_person("whank", "魏主持", Role.DEPARTMENT_STAFF, unit=unit),
    )
    return team, weitang


def filed(t: Team, when: dt.datetime, officers: list[Person]) -> EnforcementCase:
    """A case opened and asked for a day before, filed at `when` exactly."""
    case = open_case(t, now=when - dt.timedelta(days=1), officers=officers)
    case_request_filing(actor=officers[0], case=case, now=when - dt.timedelta(hours=2))
    return case_approve_filing(actor=t.lena, case=case, conditions=ALL_CONDITIONS, now=when)


def fine(t: Team, case: EnforcementCase, amount: str, *, notified: dt.datetime, decided: dt.datetime) -> None:
    """Propose and notify a fine at the level `amount` lies in, then decide it after the hearing window."""
    level = "general" if int(amount) >= 1000 else "lighter"
    officer = case.officers.order_by("pk").first()
    i.case_propose(actor=officer, case=case, penalty_kind="fine", level=level, amount=amount, now=notified)
    i.case_notify(actor=officer, case=case, now=notified)
    d.case_decide(actor=t.lena, case=case, outcome="penalty", amount=amount, now=decided)


def pay_and_close(
    case: EnforcementCase, amount: str, *, served: dt.datetime, paid: dt.datetime, closed: dt.datetime
):
    officer = case.officers.order_by("pk").first()
    if case.status == "decided":
        d.case_serve(actor=officer, case=case, method="direct", recipient=case.party_name, now=served)
    d.case_execute(actor=officer, case=case, manner="paid", paid_amount=amount, paid_on=paid.date(), now=paid)
    d.case_close(actor=officer, case=case, report="罚款已缴清，结案", now=closed)


def build_scene(world: World) -> Scene:
    team = build_team(world)
    other, weitang = build_other_team(world)
    olga, owen, oliver = team.officers
    s = Scene(world=world, team=team, other=other, weitang=weitang)
    c = s.cases

    c["C1"] = filed(team, at(6, 1, 0), [olga, owen])

    c["C2"] = filed(team, at(3, 3), [olga, oliver])
    fine(team, c["C2"], "2000", notified=at(5, 11), decided=at(5, 20))
    pay_and_close(c["C2"], "2000", served=at(5, 21), paid=at(5, 25), closed=at(6, 5))

    c["C3"] = filed(team, at(1, 5), [owen, oliver])
    fine(team, c["C3"], "5000", notified=at(6, 1), decided=at(6, 10))
    pay_and_close(c["C3"], "5000", served=at(6, 11), paid=at(6, 12), closed=at(6, 15))

    c["C4"] = filed(team, at(1, 10), [olga, owen])

    c["C5"] = open_case(team, now=at(6, 1, 9), officers=[olga, owen])
    case_refuse_filing(actor=team.lena, case=c["C5"], ground="first_offence", now=at(6, 8))

    c["C6"] = open_case(team, now=at(6, 12, 9), officers=[olga, owen])
    d.case_decide_on_spot(
        actor=olga,
        case=c["C6"],
        penalty_kind="fine",
        amount="200",
        form_number="No.0601",
        recipient="沈国强",
        now=at(6, 12),
    )
    pay_and_close(c["C6"], "200", served=at(6, 12), paid=at(6, 13), closed=at(6, 14))

    c["C7"] = filed(team, at(5, 4), [olga, oliver])
    i.case_propose(
        actor=olga, case=c["C7"], penalty_kind="fine", level="general", amount="3000", now=at(5, 20)
    )
    i.case_notify(actor=olga, case=c["C7"], now=at(5, 20))
    i.case_request_hearing(actor=olga, case=c["C7"], now=at(5, 21))
    i.case_schedule_hearing(
        actor=olga,
        case=c["C7"],
        notice_on=dt.date(2026, 5, 22),
        hearing_on=dt.date(2026, 6, 5),
        place="执法队会议室",
        chair=team.hank,
        now=at(5, 22),
    )
    i.case_hold_hearing(actor=team.hank, case=c["C7"], record="当事人到场陈述申辩", now=at(6, 5, 15))

    c["C8"] = filed(team, at(6, 30, 23, 59, 59), [owen, oliver])
    c["C9"] = filed(team, at(7, 1, 0), [olga, owen])
    c["C10"] = filed(team, at(5, 31, 23, 59, 59), [olga, owen])

    c["C11"] = filed(other, at(6, 3), other.officers)
    peng = other.officers[0]
    i.case_propose(actor=peng, case=c["C11"], penalty_kind="warning", level="mitigated", now=at(6, 4))
    i.case_notify(actor=peng, case=c["C11"], now=at(6, 4))
    d.case_decide(actor=other.lena, case=c["C11"], outcome="penalty", now=at(6, 20))

    c["C12"] = filed(team, at(4, 1), [olga, oliver])
    d.case_decide(actor=team.lena, case=c["C12"], outcome="no_penalty_minor", now=at(6, 15))
    d.case_serve(actor=olga, case=c["C12"], method="direct", recipient="沈国强", now=at(6, 16))
    d.case_close(actor=olga, case=c["C12"], report="违法行为轻微并已改正，不予处罚，结案", now=at(6, 17))

    c["C13"] = filed(team, at(1, 5), [owen, oliver])
    i.case_propose(
        actor=owen, case=c["C13"], penalty_kind="fine", level="general", amount="1500", now=at(4, 1)
    )
    i.case_notify(actor=owen, case=c["C13"], now=at(4, 1))
    i.case_request_hearing(actor=owen, case=c["C13"], now=at(4, 8))

    for case in c.values():
        case.refresh_from_db()
    return s
