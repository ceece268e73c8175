"""The department desk: a unit's assignments by tab with deadline and light, the unit's steps inline through
HTMX (errors in the row, input kept), who may open it, and a fixed number of queries for a full page."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.conftest import make_person
from grassroots.events import services
from grassroots.events.choices import AssignmentStatus, Status
from grassroots.events.models import Assignment, Event
from grassroots.people.choices import Role

from .api_support import cast_of
from .views_support import htmx, page_text, png, report

pytestmark = pytest.mark.django_db
DESK = "/command/desk/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def dispatch(world: Any, *, title: str = "河边私搭简易棚", unit: Any = None) -> Event:
    event = report(world.alice, title=title)
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=(unit or world.agency).pk)
    return Event.objects.get(pk=event.pk)


def fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def rows(response: Any) -> list[int]:
    assert response.status_code == 200
    return [row["event"].pk for row in response.context["rows"]]


def desk_post(world: Any, person: Any, event: Event, action: str, data: dict[str, Any]) -> Any:
    return world.client_for(person).post(
        f"/command/events/{event.pk}/act/{action}/",
        {"origin": "desk", "tab": "to_sign", "version": fresh(event).version, **data},
        headers=htmx(f"desk-row-{Assignment.objects.filter(event=event).latest('id').pk}"),
    )


def test_the_unit_sees_what_it_must_sign_with_deadline_and_light(world):
    event = dispatch(world)
    response = world.client_for(world.dora).get(DESK)
    assert rows(response) == [event.pk]
    row = response.context["rows"][0]
    assert row["light"] == "green" and [f.action for f in row["forms"]] == [
        "sign",
        "return",
        "request_extension",
    ]
    html = page_text(response)
    assert "绿灯（正常）" in html and f'id="desk-{event.pk}-sign"' in html and "剩余" in html
    assert dict((k, n) for k, _, n in response.context["tabs"]) == {
        "to_sign": 1,
        "in_hand": 0,
        "due_soon": 0,
        "overdue": 0,
        "returned": 0,
        "history": 0,
    }


def test_each_tab_lists_its_own_assignments(world):
    to_sign = dispatch(world, title="待签收")
    signed = dispatch(world, title="办理中")
    services.event_sign(actor=world.dora, event=signed)
    late = dispatch(world, title="超期")
    soon = dispatch(world, title="将到期")
    returned = dispatch(world, title="退回")
    services.event_return(actor=world.dora, event=returned, reason="不属于本所职责")
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    Assignment.objects.filter(event=late).update(warn_at=now - 2 * hour, deadline=now - hour)
    Assignment.objects.filter(event=soon).update(warn_at=now - hour, deadline=now + hour)
    client = world.client_for(world.dora)
    assert set(rows(client.get(DESK, {"tab": "to_sign"}))) == {to_sign.pk, late.pk, soon.pk}
    assert rows(client.get(DESK, {"tab": "in_hand"})) == [signed.pk]
    assert rows(client.get(DESK, {"tab": "due_soon"})) == [soon.pk]
    overdue = client.get(DESK, {"tab": "overdue"})
    assert (
        rows(overdue) == [late.pk] and "红灯（超期）" in page_text(overdue) and "已超期" in page_text(overdue)
    )
    returned_page = client.get(DESK, {"tab": "returned"})
    assert rows(returned_page) == [returned.pk] and "不属于本所职责" in page_text(returned_page)
    assert rows(client.get(DESK, {"tab": "nonsense"})) == rows(client.get(DESK))


def test_signing_on_the_desk_swaps_the_row_with_the_next_steps(world):
    event = dispatch(world)
    response = desk_post(world, world.dora, event, "sign", {})
    html = page_text(response)
    assert response.status_code == 200 and html.lstrip().startswith("<article")
    assert f"已签收：{event.number}" in html and "已签收" in html
    assert f'id="desk-{event.pk}-handle"' in html and f'id="desk-{event.pk}-feed_back"' in html
    tabs = html.split('id="desk-tabs"')[1]  # the tab counts come along out of band
    assert 'hx-swap-oob="true"' in tabs.split(">")[0]
    assert '待签收<span class="tab-count num">0</span>' in tabs.replace("\n", "").replace("  ", "")
    assert fresh(event).status == Status.SIGNED


def test_feeding_back_with_a_photo_on_the_desk(world):
    event = dispatch(world)
    services.event_sign(actor=world.dora, event=event)
    response = desk_post(world, world.dora, event, "feed_back", {"feedback": "已拆除", "photos": [png()]})
    assert response.status_code == 200
    event = fresh(event)
    assert event.status == Status.FED_BACK and event.attachments.count() == 1
    assert Assignment.objects.get(event=event).status == AssignmentStatus.FED_BACK


def test_a_desk_step_that_fails_opens_its_form_in_the_row_and_keeps_the_input(world):
    event = dispatch(world)
    response = desk_post(world, world.dora, event, "request_extension", {"days": "0", "reason": "等待材料"})
    html = page_text(response)
    assert (
        "至少 0.5 个工作日" in html
        and "等待材料</textarea>" in html
        and '<details class="action" open>' in html
    )
    response = desk_post(world, world.dora, event, "return", {"reason": ""})
    assert "请填写退回原因" in page_text(response)
    assert fresh(event).status == Status.DISPATCHED


def test_without_javascript_a_desk_step_returns_to_the_desk(world):
    event = dispatch(world)
    response = world.client_for(world.dora).post(
        f"/command/events/{event.pk}/act/sign/", {"origin": "desk", "version": event.version}
    )
    assert response.status_code == 302 and response.url == DESK


def test_a_tab_change_swaps_only_the_desk_body(world):
    dispatch(world)
    html = page_text(world.client_for(world.dora).get(DESK, {"tab": "in_hand"}, headers=htmx("desk-body")))
    assert html.lstrip().startswith('<div id="desk-body">') and "<html" not in html


@pytest.mark.parametrize("who", ["alice", "oscar"])
def test_the_desk_is_404_for_grid_workers_and_the_command_room(world, who):
    assert world.client_for(getattr(world, who)).get(DESK).status_code == 404


def test_village_staff_see_their_committees_level_2_work(world):
    cast = cast_of(world)
    event = dispatch(world, unit=cast.village_committee)
    assert fresh(event).level == 2
    assert rows(world.client_for(world.bob).get(DESK)) == [event.pk]
    assert rows(world.client_for(world.dora).get(DESK)) == []


def test_staff_without_a_unit_are_told_so(world):
    mia = make_person("mia", "孙美", Role.MEDIATOR)
    response = world.client_for(mia).get(DESK)
    assert response.status_code == 200 and "尚未关联单位" in page_text(response)


def test_the_desk_costs_the_same_few_queries_for_one_row_or_thirty_five(world, django_assert_max_num_queries):
    dispatch(world)
    client = world.client_for(world.dora)
    client.get(DESK)
    # 10: session, person, tab counts, page count, rows, unread badge, the session's save (3), and at most one
    # look at the working calendar's override table (every 30 s).
    with django_assert_max_num_queries(10):
        client.get(DESK)
    for i in range(34):
        dispatch(world, title=f"第{i}件")
    with django_assert_max_num_queries(10):
        response = client.get(DESK)
    assert len(response.context["rows"]) == 35
