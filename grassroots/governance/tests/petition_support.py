"""The township's petition office on top of the personas' world (conftest.py): Xia and Yun staff 西塘镇信访办, Lena
is the township's leader (she takes cases: 包案), Leo another leader of the township. Bob (village staff of 红菱村)
sees his village's petitions masked; Carol (鸦鹊村) and Dora (a county agency) see none of 红菱村's."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from grassroots.conftest import make_person
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

from ..models import Petition
from ..petition_choices import PetitionChannel, PetitionKind
from ..services.petitions import PetitionerIn, petition_register


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Office:
    world: Any
    office: Unit  # 西塘镇信访办
    xia: Person
    yun: Person
    lena: Person
    leo: Person


def build_office(world: Any) -> Office:
    office = Unit.objects.create(
        code="330421102-XFB", name="西塘镇信访办", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    return Office(
        world=world,
        office=office,
        xia=make_person("xia", "夏雨", Role.DEPARTMENT_STAFF, unit=office),
        yun=make_person("yun", "云飞", Role.DEPARTMENT_STAFF, unit=office),
        lena=Person.objects.filter(username="lena").first()  # the committee's support may have made her
        or make_person("lena", "沈丽娜", Role.LEADER, division=world.township, unit=world.command_room),
        leo=make_person("leo", "陆立", Role.LEADER, division=world.township, unit=world.command_room),
    )


PETITIONERS = [
    PetitionerIn(name="张三丰", id_number="11010519491231002X", phone="13912345678", address="红菱村3组12号"),
    PetitionerIn(name="李四", id_number="330421198001011234", phone="13787654321", address="红菱村3组14号"),
]


def register(o: Office, *, now: dt.datetime | None = None, **kwargs: Any) -> Petition:
    """Xia registers a collective visit from 红菱村 about land compensation."""
    actor = kwargs.pop("actor", o.xia)
    fields: dict[str, Any] = {
        "unit": o.office,
        "village": o.world.village_a,
        "channel": PetitionChannel.VISIT,
        "kind": PetitionKind.CLAIM,
        "title": "反映土地征收补偿款未足额发放",
        "content": "村民反映2025年土地征收补偿款尚有部分未发放，要求核实并发放。",
        "petitioners": PETITIONERS,
        "people_count": 8,
        **kwargs,
    }
    return petition_register(actor=actor, now=now, **fields)
