"""A township's people's mediation committee on top of the personas' world (conftest.py): Mia and Max are its
mediators, Nina a mediator of another committee, Lena the township's leader over it, Pete at the police station.
Alice (grid worker of grid A in 红菱村) reports disputes; Carol (village staff of 鸦鹊村) sees only her village."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from grassroots.conftest import make_person
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

from ..choices import DisputeSource, DisputeType, PartyKind, PartySide
from ..models import Dispute
from ..services.disputes import PartyIn, dispute_register


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Committee:
    world: Any
    committee: Unit  # 西塘镇人民调解委员会
    other: Unit  # 鸦鹊村人民调解委员会
    police: Unit
    mia: Person
    max: Person
    nina: Person
    lena: Person
    pete: Person


def build_committee(world: Any) -> Committee:
    committee = Unit.objects.create(
        code="330421102-TJW",
        name="西塘镇人民调解委员会",
        kind=UnitKind.TOWNSHIP_OFFICE,
        division=world.township,
    )
    other = Unit.objects.create(
        code="330421102202-TJW",
        name="鸦鹊村人民调解委员会",
        kind=UnitKind.VILLAGE_COMMITTEE,
        division=world.village_b,
    )
    police = Unit.objects.create(
        code="330421102-PCS",
        name="西塘派出所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.B,
        division=world.township,
    )
    return Committee(
        world=world,
        committee=committee,
        other=other,
        police=police,
        mia=make_person("mia", "陈美华", Role.MEDIATOR, unit=committee),
        max=make_person("max", "吴志明", Role.MEDIATOR, unit=committee),
        nina=make_person("nina", "钱宁", Role.MEDIATOR, unit=other),
        lena=make_person("lena", "沈丽娜", Role.LEADER, division=world.township, unit=world.command_room),
        pete=make_person("pete", "周国平", Role.DEPARTMENT_STAFF, unit=police),
    )


PARTIES = [
    PartyIn(
        side=PartySide.APPLICANT,
        kind=PartyKind.PERSON,
        name="张三丰",
        id_number="11010519491231002X",
        phone="13912345678",
        address="红菱村3组12号",
    ),
    PartyIn(
        side=PartySide.RESPONDENT,
        kind=PartyKind.PERSON,
        name="李四",
        id_number="330421198001011234",
        phone="13787654321",
        address="红菱村3组14号",
    ),
]


def report(c: Committee, *, now: dt.datetime | None = None, **kwargs: Any) -> Dispute:
    """Alice reports a neighbours' dispute found on patrol in grid A."""
    actor = kwargs.pop("actor", c.world.alice)
    fields: dict[str, Any] = {
        "village": c.world.village_a,
        "grid": c.world.grid_a,
        "committee": c.committee,
        "source": DisputeSource.PATROL,
        "kind": DisputeType.NEIGHBOURS,
        "title": "两户邻居因排水沟堵塞争吵",
        "facts": "张家认为李家堆放杂物堵塞排水沟，雨天积水倒灌，双方多次争吵。",
        "parties": PARTIES,
        **kwargs,
    }
    return dispute_register(actor=actor, now=now, **fields)
