"""Helpers for the events API tests: more people for the world, and a driver that speaks HTTP like a client.

Personas added to the `world` fixture: Sam is the shift lead (值班长) of the command room, Cora works in the
district command centre, Eve staffs the enforcement squad (综合执法中队), Leo is a township leader; Bob gets his
village committee as his unit, so level-2 work reaches him.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_png
from grassroots.events.models import Event
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

PNG = sample_png()
IN_GRID_A: dict[str, Any] = {"lon": 120.885, "lat": 30.945}
IN_GRID_B: dict[str, Any] = {"lon": 120.895, "lat": 30.945}


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Cast:
    sam: Person
    cora: Person
    eve: Person
    leo: Person
    centre: Unit
    squad: Unit
    village_committee: Unit


def cast_of(world: World) -> Cast:
    centre = Unit.objects.create(
        code="330421-ZHZX",
        name="嘉善县社会治理综合指挥中心",
        kind=UnitKind.COMMAND_CENTRE,
        division=world.district,
    )
    squad = Unit.objects.create(
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=world.township,
    )
    committee = Unit.objects.create(
        code="330421102201-CWH",
        name="红菱村村委会",
        kind=UnitKind.VILLAGE_COMMITTEE,
        division=world.village_a,
    )
    world.bob.unit = committee
    world.bob.save()
    return Cast(
        sam=make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room),
        cora=make_person("cora", "周晓燕", Role.CENTRE_OPERATOR, division=world.district, unit=centre),
        eve=make_person("eve", "吴志刚", Role.DEPARTMENT_STAFF, unit=squad),
        leo=make_person("leo", "郑国强", Role.LEADER, division=world.township),
        centre=centre,
        squad=squad,
        village_committee=committee,
    )


class Api:
    """Calls the API as a person would: JSON bodies, or multipart when files go along."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._clients: dict[int, Client] = {}

    def client(self, person: Person) -> Client:
        if person.pk not in self._clients:
            self._clients[person.pk] = self.world.client_for(person)
        return self._clients[person.pk]

    def post(
        self,
        person: Person,
        url: str,
        data: dict[str, Any] | None = None,
        *,
        files: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        client = self.client(person)
        if files is not None:
            return client.post(url, {**(data or {}), "files": files}, headers=headers)
        return client.post(url, json.dumps(data or {}), content_type="application/json", headers=headers)

    def report(self, person: Person, **fields: Any) -> Any:
        files = fields.pop("files", None)
        headers = fields.pop("headers", None)
        body = {"event_type": "ZF0103", "title": "河边私搭简易棚", **IN_GRID_A, **fields}
        return self.post(person, "/api/v1/events", body, files=files, headers=headers)

    def reported(self, person: Person, **fields: Any) -> int:
        response = self.report(person, **fields)
        assert response.status_code == 201, response.json()
        return int(response.json()["event"]["id"])

    def act(
        self,
        person: Person,
        event_id: int,
        action: str,
        *,
        files: list[Any] | None = None,
        headers: dict[str, str] | None = None,
        **data: Any,
    ) -> Any:
        return self.post(person, f"/api/v1/events/{event_id}/{action}", data, files=files, headers=headers)

    def ok(self, person: Person, event_id: int, action: str, **kwargs: Any) -> dict[str, Any]:
        response = self.act(person, event_id, action, **kwargs)
        assert response.status_code == 200, (action, response.json())
        return dict(response.json())

    def detail(self, person: Person, event_id: int) -> dict[str, Any]:
        response = self.client(person).get(f"/api/v1/events/{event_id}")
        assert response.status_code == 200, response.json()
        return dict(response.json())


def steps(detail: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The history as (action, from, to), in order."""
    return [(row["action"], row["from_status"], row["to_status"]) for row in detail["history"]]


def event(event_id: int) -> Event:
    return Event.objects.get(pk=event_id)
