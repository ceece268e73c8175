"""The grid head's team view on the phone: the "1+1+1+X" team with each member's tasks and reports, and the
grid's open events with their lights."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.org.choices import TeamRole
from grassroots.org.models import TeamMembership
from grassroots.people.choices import Role

from .support import IN_GRID_B, fed_back, png, reported, to_verify

pytestmark = pytest.mark.django_db

TEAM = reverse("mobile:team")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def head(world):
    head = make_person("hank", "周海峰", Role.GRID_HEAD, grid=world.grid_a, division=world.village_a)
    TeamMembership.objects.create(grid=world.grid_a, person=world.alice, role=TeamRole.WORKER)
    TeamMembership.objects.create(grid=world.grid_a, person=head, role=TeamRole.HEAD)
    return head


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


def test_only_the_grid_head_gets_the_team_view_and_its_tile_on_the_home(world, head):
    assert world.client_for(head).get(TEAM).status_code == 200
    assert 'id="go-team"' in world.client_for(head).get(reverse("mobile:home")).content.decode()
    assert world.client_for(world.alice).get(TEAM).status_code == 404
    assert 'id="go-team"' not in world.client_for(world.alice).get(reverse("mobile:home")).content.decode()
    assert world.client_for(world.oscar).get(TEAM).status_code == 404


def test_the_team_lists_the_head_first_with_each_members_tasks_and_reports(world, head):
    volunteer = make_person("vic", "吴志愿", Role.VOLUNTEER, grid=world.grid_a, division=world.village_a)
    TeamMembership.objects.create(grid=world.grid_a, person=volunteer, role=TeamRole.VOLUNTEER)
    gone = make_person("old", "郑前任", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)
    TeamMembership.objects.create(
        grid=world.grid_a, person=gone, role=TeamRole.WORKER, end=dt.date.today() - dt.timedelta(days=1)
    )
    task = to_verify(world)
    report = reported(world, title="路灯不亮")
    elsewhere = reported(world, title="别村违建", where=IN_GRID_B)

    html = world.client_for(head).get(TEAM).content.decode()
    members = section(html, "team-members")
    assert members.index("周海峰") < members.index("王丽丽") < members.index("吴志愿")
    assert "郑前任" not in members  # left the team
    alice = members[members.index("王丽丽") : members.index("吴志愿")]
    assert "1 项任务" in alice and "待核实" in alice and task.title in alice
    assert report.title in alice
    assert elsewhere.title not in html  # her report on another grid is outside the head's scope
    assert f'href="{reverse("mobile:report_detail", args=[report.pk])}?from=team"' in alice


def test_the_grids_open_events_come_with_their_lights_and_link_to_the_report_page(world, head):
    open_one = fed_back(world, title="待核查的")
    closed = reported(world, code="ZF0201", title="已处置的")
    s.event_self_handle(actor=world.alice, event=closed, note="已清理", files=[png()])
    other_grid = reported(world, title="别村的", where=IN_GRID_B)
    html = world.client_for(head).get(TEAM).content.decode()
    events = section(html, "grid-events")
    assert open_one.title in events and 'class="light green"' in events
    assert closed.title not in events and other_grid.title not in events
    assert f'href="{reverse("mobile:report_detail", args=[open_one.pk])}?from=team"' in events
    assert world.client_for(head).get(reverse("mobile:report_detail", args=[open_one.pk])).status_code == 200


def test_the_team_view_runs_the_same_queries_for_a_small_or_a_busy_team(world, head):
    client = world.client_for(head)
    reported(world)
    with CaptureQueriesContext(connection) as small:
        client.get(TEAM)
    for username, name in [("ivy", "钱文静"), ("joe", "孙建军")]:
        person = make_person(username, name, Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)
        TeamMembership.objects.create(grid=world.grid_a, person=person, role=TeamRole.PART_TIME)
        to_verify(world, verifier=person)
    for _ in range(4):
        fed_back(world)
        to_verify(world)
    with CaptureQueriesContext(connection) as busy:
        client.get(TEAM)
    assert len(busy) == len(small)
