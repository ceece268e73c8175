"""A township's governance coordinating group and a 矛盾联调 meeting, on top of the personas' world (conftest.py):
Lena is the township's deputy secretary (leader) and leads the group, Oscar runs the command room (organiser), Dora
sits for the agency, Pete for the police station."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from grassroots.conftest import make_person
from grassroots.events import services as event_services
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

from ..choices import Forum, MeetingKind
from ..models import CoordinatingGroup, GroupMember, Meeting
from ..services.meetings import meeting_create

IN_GRID_A: dict[str, Any] = {"lon": 120.885, "lat": 30.945}


def at(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Township:
    world: Any
    lena: Person  # 党委副书记, the group's leader
    pete: Person  # 派出所所长
    police: Unit
    group: CoordinatingGroup


def build_township(world: Any) -> Township:
    police = Unit.objects.create(
        code="330421102-PCS",
        name="西塘派出所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.B,
        division=world.township,
    )
    lena = make_person("lena", "沈丽娜", Role.LEADER, division=world.township, unit=world.command_room)
    pete = make_person("pete", "周国平", Role.DEPARTMENT_STAFF, unit=police)
    group = CoordinatingGroup.objects.create(
        township=world.township,
        forum=Forum.GOVERNANCE,
        name="西塘镇综治工作平台协调组",
        leader=lena,
        leader_title="党委副书记",
        office=world.command_room,
    )
    GroupMember.objects.create(group=group, unit=police, person=pete, title="所长", position=1)
    GroupMember.objects.create(group=group, unit=world.agency, person=world.dora, title="所长", position=2)
    return Township(world, lena, pete, police, group)


def make_meeting(town: Township, *, starts_at: dt.datetime | None = None, **kwargs: Any) -> Meeting:
    fields: dict[str, Any] = {
        "kind": MeetingKind.MEDIATION,
        "forum": Forum.GOVERNANCE,
        "township": town.world.township,
        "title": "每周矛盾联调会",
        "starts_at": starts_at or at(9, 28, 9),
        "place": "镇综治中心会议室",
        **kwargs,
    }
    return meeting_create(actor=town.world.oscar, **fields)


def report_event(world: Any, title: str = "两户邻居因宅基地界线争吵") -> Event:
    return event_services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZZ0101"),
        source=Source.PATROL,
        title=title,
        **IN_GRID_A,
    ).event
