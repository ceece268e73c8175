"""An enforcement team in the personas' world (grassroots/conftest.py): 西塘镇综合行政执法队 with three certified
officers (Olga, Owen, Oliver) and one whose certificate expired (Ivy); Lena, the township leader, is its head (负责人);
Rita, the team's legal officer (department staff), reviews (法制审核); Hank, department staff too, chairs hearings.
One published power with a discretion table (test figures, not a real benchmark)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from grassroots.conftest import World, make_person
from grassroots.draws.models import Inspector
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import CaseSource, FilingCondition, PartyKind, PowerCategory
from ..models import EnforcementCase, Power
from ..services.cases import case_approve_filing, case_open, case_request_filing

PARTY_ID = "330421198503121231"  # a valid 身份证 number (check digit computed)
PLACE = (120.885, 30.945)  # in grid_a
ALL_CONDITIONS = list(FilingCondition.values)
DISCRETION = [
    {
        "level": "none",
        "circumstances": "首次违法、及时改正、未造成危害后果",
        "min": None,
        "max": None,
        "measure": "不予处罚",
    },
    {
        "level": "mitigated",
        "circumstances": "主动消除危害后果",
        "min": "0",
        "max": "100",
        "measure": "警告或罚款",
    },
    {
        "level": "lighter",
        "circumstances": "经责令改正后及时改正",
        "min": "100",
        "max": "1000",
        "measure": "罚款",
    },
    {
        "level": "general",
        "circumstances": "经责令改正拒不改正",
        "min": "1000",
        "max": "5000",
        "measure": "罚款",
    },
    {
        "level": "heavier",
        "circumstances": "多次违法或造成严重影响",
        "min": "5000",
        "max": "10000",
        "measure": "罚款",
    },
]


@dataclass
class Team:
    world: World
    unit: Unit
    power: Power
    officers: list[Person]
    expired: Person
    lena: Person  # head
    rita: Person  # legal reviewer
    hank: Person  # hearing chair

    @property
    def olga(self) -> Person:
        return self.officers[0]

    @property
    def owen(self) -> Person:
        return self.officers[1]


def certify(person: Person, unit: Unit, n: int, *, valid_to: dt.date = dt.date(2030, 12, 31)) -> Inspector:
    return Inspector.objects.create(
        person=person, certificate_no=f"ZF33042110{n:04d}", certificate_valid_to=valid_to, unit=unit
    )


def build_team(world: World) -> Team:
    unit = Unit.objects.create(
        code="330421102-ZFD",
        name="西塘镇综合行政执法队",
        kind=UnitKind.TOWNSHIP_OFFICE,
        division=world.township,
    )
    power = Power.objects.create(
        code="330217019000",
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
    officers = []
    for n, (username, name) in enumerate([("olga", "欧阳青"), ("owen", "王文"), ("oliver", "吴立")], start=1):
        person = make_person(username, name, Role.INSPECTOR, unit=unit)
        certify(person, unit, n)
        officers.append(person)
    ivy = make_person("ivy", "叶芸", Role.INSPECTOR, unit=unit)
    certify(ivy, unit, 99, valid_to=dt.date(2020, 1, 1))
    return Team(
        world=world,
        unit=unit,
        power=power,
        officers=officers,
        expired=ivy,
        lena=make_person("lena", "陆丽娜", Role.LEADER, division=world.township),
        rita=make_person("rita", "任法", Role.DEPARTMENT_STAFF, unit=unit),
        hank=make_person("hank", "韩主持", Role.DEPARTMENT_STAFF, unit=unit),
    )


def open_case(t: Team, *, now: dt.datetime | None = None, **kw: Any) -> EnforcementCase:
    values: dict[str, Any] = {
        "source": CaseSource.PATROL,
        "party_kind": PartyKind.PERSON,
        "party_name": "沈国强",
        "party_id_number": PARTY_ID,
        "party_phone": "13905731234",
        "party_address": "西塘镇南苑路 1 号",
        "officers": t.officers[:2],
        "facts": "当事人在西塘镇南苑路人行道上摆摊经营水果，占用人行道约 6 平方米",
        "place": "西塘镇南苑路 1 号门前",
        "lon": PLACE[0],
        "lat": PLACE[1],
    }
    values.update(kw)
    return case_open(actor=t.olga, unit=t.unit, power=t.power, now=now, **values)


def filed_case(t: Team, *, now: dt.datetime | None = None, **kw: Any) -> EnforcementCase:
    case = open_case(t, now=now, **kw)
    case_request_filing(actor=t.olga, case=case, now=now)
    return case_approve_filing(actor=t.lena, case=case, conditions=ALL_CONDITIONS, now=now)
