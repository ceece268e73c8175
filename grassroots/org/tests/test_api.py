"""Units, platforms, grid teams and people through the API: scoped like the pages (404 outside), personal data
masked by role with every unmasked read audited, cursor-paginated, a fixed number of queries a page."""

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_grid, make_person, square
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.choices import PlatformKind, TeamRole, UnitKind
from grassroots.org.models import Platform, TeamMembership, Unit
from grassroots.people.choices import Role, TokenScope
from grassroots.people.services import api_token_create


def other_township(world):
    town = Division.objects.create(
        code="330421103",
        name="姚庄镇",
        level=DivisionLevel.TOWNSHIP,
        kind=DivisionKind.TOWN,
        parent=world.district,
    )
    unit = Unit.objects.create(
        code="330421103-ZHS", name="姚庄镇指挥室", kind=UnitKind.COMMAND_ROOM, division=town
    )
    return town, unit


def test_units_of_the_township_with_a_read_token(world):
    _, key = api_token_create(actor=None, person=world.oscar, name="只读", scope=TokenScope.READ)
    _, elsewhere = other_township(world)
    body = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/units").json()
    assert {u["code"] for u in body["items"]} == {"330421102-ZHS", "330421102-SCJGS"}
    agency = next(u for u in body["items"] if u["code"] == "330421102-SCJGS")
    assert agency["agency_class"] == "B" and agency["division_code"] == "330421102"
    assert world.client_for(world.oscar).get(f"/api/v1/units/{elsewhere.pk}").status_code == 404


def test_agency_staff_see_their_own_unit_only(world):
    client = world.client_for(world.dora)
    assert [u["id"] for u in client.get("/api/v1/units").json()["items"]] == [world.agency.pk]
    assert client.get(f"/api/v1/units/{world.command_room.pk}").status_code == 404


def test_platforms_with_their_members_in_scope(world):
    platform = Platform.objects.create(
        township=world.township, kind=PlatformKind.MARKET, lead_unit=world.agency, office=world.command_room
    )
    platform.members.add(world.agency, world.command_room)
    town, unit = other_township(world)
    elsewhere = Platform.objects.create(township=town, kind=PlatformKind.MARKET, lead_unit=unit)
    body = world.client_for(world.bob).get("/api/v1/platforms").json()
    assert [p["id"] for p in body["items"]] == [platform.pk]
    item = body["items"][0]
    assert item["lead_unit"]["code"] == "330421102-SCJGS"
    assert {m["code"] for m in item["members"]} == {"330421102-SCJGS", "330421102-ZHS"}
    dora = world.client_for(world.dora)  # a member unit's staff see its platform, once
    assert [p["id"] for p in dora.get("/api/v1/platforms").json()["items"]] == [platform.pk]
    assert world.client_for(world.oscar).get(f"/api/v1/platforms/{elsewhere.pk}").status_code == 404
    unit_body = world.client_for(world.oscar).get(f"/api/v1/units/{world.agency.pk}").json()
    assert unit_body["platforms"] == [{"id": platform.pk, "kind": "market", "township_code": "330421102"}]


def team(world):
    TeamMembership.objects.create(grid=world.grid_a, person=world.alice, role=TeamRole.WORKER)
    TeamMembership.objects.create(grid=world.grid_a, person=world.bob, role=TeamRole.HEAD)
    gone = make_person("old", "钱旧人", Role.GRID_WORKER, grid=world.grid_a)
    TeamMembership.objects.create(
        grid=world.grid_a,
        person=gone,
        role=TeamRole.PART_TIME,
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
    )


def test_a_team_is_masked_for_village_staff_and_no_read_is_logged(world):
    team(world)
    body = world.client_for(world.bob).get("/api/v1/teams").json()
    assert [t["grid_code"] for t in body["items"]] == ["33042110220101"]
    members = {m["role"]: m for m in body["items"][0]["members"]}
    assert set(members) == {"worker", "head"}  # the member who left is not listed
    assert members["worker"]["name"] == "王*丽" and members["worker"]["phone"] == "138****5678"
    assert members["head"]["name"] == "李建国"  # bob himself
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_the_command_room_sees_a_team_unmasked_and_each_read_is_audited(world):
    team(world)
    body = world.client_for(world.oscar).get("/api/v1/teams/33042110220101").json()
    assert {m["name"] for m in body["members"]} == {"王丽丽", "李建国"}
    entries = AuditEntry.objects.filter(action="personal_data.read")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        [str(world.alice.pk), str(world.bob.pk)]
    )
    assert {e.detail["purpose"] for e in entries} == {"api.teams.detail"}
    assert all(e.actor == world.oscar for e in entries)


def test_a_team_outside_the_scope_answers_404(world):
    assert world.client_for(world.bob).get("/api/v1/teams/33042110220201").status_code == 404


def test_the_team_list_costs_the_same_queries_for_more_grids(world):
    team(world)
    client = world.client_for(world.oscar)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/teams").status_code == 200
    for n in range(2, 6):
        grid = make_grid(f"3304211022010{n}", world.village_a, square(120.88 + n * 0.01, 30.96))
        person = make_person(f"w{n}", f"网格员{n}号", Role.GRID_WORKER, grid=grid)
        TeamMembership.objects.create(grid=grid, person=person, role=TeamRole.WORKER)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/teams").json()["items"]) == 6
    assert len(many) == len(few)


def test_the_people_list_pages_by_cursor_and_audits_unmasked_reads(world):
    client = world.client_for(world.oscar)
    first = client.get("/api/v1/people?limit=3").json()
    second = client.get(f"/api/v1/people?limit=3&cursor={first['next']}").json()
    names = [p["username"] for page in (first, second) for p in page["items"]]
    assert sorted(names) == ["alice", "bob", "carol", "oscar"]  # dora's unit is not the command room's
    assert len(first["items"]) == 3 and second["next"] is None
    assert "王丽丽" in {p["name"] for page in (first, second) for p in page["items"]}
    logged = AuditEntry.objects.filter(action="personal_data.read", detail__purpose="api.people.list")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(p.pk) for p in (world.alice, world.bob, world.carol)
    )


def test_the_people_list_filters_by_role_and_region(world):
    client = world.client_for(world.oscar)
    body = client.get("/api/v1/people?role=village_staff&region=330421102202").json()
    assert [p["username"] for p in body["items"]] == ["carol"]
