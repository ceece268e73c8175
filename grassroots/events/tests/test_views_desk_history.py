"""The desk's 已办结 tab (what the unit fed back on or saw pass its check, latest first, paged, with the outcome) and
the supervision badge on a card, with the order's deadline when it comes before the task's own."""

import datetime as dt
import importlib
from typing import Any

import pytest
from django.utils import timezone

from grassroots.events import services
from grassroots.events.choices import AssignmentStatus
from grassroots.events.models import Assignment, Event

from .views_support import page_text, report

pytestmark = pytest.mark.django_db
DESK = "/command/desk/"
# The module, not the view of the same name that `grassroots.events.views` exports.
desk_views = importlib.import_module("grassroots.events.views.desk")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def dispatch(world: Any, title: str) -> Event:
    event = report(world.alice, title=title)
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return Event.objects.get(pk=event.pk)


def fed_back(world: Any, title: str, feedback: str = "已处置完毕") -> Event:
    event = dispatch(world, title)
    services.event_sign(actor=world.dora, event=event)
    services.event_feed_back(actor=world.dora, event=Event.objects.get(pk=event.pk), feedback=feedback)
    return Event.objects.get(pk=event.pk)


def rows(response: Any) -> list[int]:
    assert response.status_code == 200
    return [row["event"].pk for row in response.context["rows"]]


def test_history_lists_what_the_unit_fed_back_on_or_finished_latest_first(world):
    first = fed_back(world, "先反馈的", feedback="垃圾已清运")
    passed = fed_back(world, "核查通过的", feedback="违建已拆除")
    services.event_check(actor=world.oscar, event=passed, passed=True)
    assert Assignment.objects.get(event=passed).status == AssignmentStatus.DONE
    Assignment.objects.filter(event=first).update(fed_back_at=timezone.now() - dt.timedelta(hours=2))
    dispatch(world, "还在待签收")
    returned = dispatch(world, "退回的")
    services.event_return(actor=world.dora, event=returned, reason="不属于本所职责")

    response = world.client_for(world.dora).get(DESK, {"tab": "history"})
    assert rows(response) == [passed.pk, first.pk]
    assert dict((k, n) for k, _, n in response.context["tabs"])["history"] == 2
    html = page_text(response)
    assert "垃圾已清运" in html and "违建已拆除" in html and "按期" in html
    assert "已完成" in html and "已反馈" in html
    assert f'href="/command/events/{first.pk}/"' in html
    assert all(not row["forms"] for row in response.context["rows"])


def test_history_is_paged(world, monkeypatch):
    monkeypatch.setattr(desk_views, "PER_PAGE", 2)
    made = [fed_back(world, f"第{i}件") for i in range(3)]
    client = world.client_for(world.dora)
    assert rows(client.get(DESK, {"tab": "history"})) == [made[2].pk, made[1].pk]
    second = client.get(DESK, {"tab": "history", "page": 2})
    assert rows(second) == [made[0].pk]
    assert "?tab=history&amp;page=1" in page_text(second)


def test_an_empty_history_says_so(world):
    response = world.client_for(world.dora).get(DESK, {"tab": "history"})
    assert rows(response) == [] and "还没有已反馈或已办结的任务" in page_text(response)


def test_a_card_shows_an_open_order_and_its_deadline_when_it_comes_first(world):
    urgent = dispatch(world, "督办期限更早")
    order = services.event_supervise(actor=world.oscar, event=urgent, days=0.5)
    relaxed = dispatch(world, "督办期限更晚")
    services.event_supervise(actor=world.oscar, event=relaxed, days=30)
    resolved = dispatch(world, "督办已办结")
    done = services.event_supervise(actor=world.oscar, event=resolved, days=0.5)
    done.resolved_at = timezone.now()
    done.save()

    response = world.client_for(world.dora).get(DESK)
    cards = {row["event"].pk: row for row in response.context["rows"]}
    assert cards[urgent.pk]["order"]["label"] == "督办" and cards[urgent.pk]["order"]["earlier"]
    assert cards[urgent.pk]["order"]["deadline"] == order.deadline
    assert cards[relaxed.pk]["order"]["label"] == "督办" and not cards[relaxed.pk]["order"]["earlier"]
    assert cards[resolved.pk]["order"] is None
    html = page_text(response)
    assert html.count('data-testid="supervision"') == 2
    assert html.count("以督办期限为准") == 1
    assert timezone.localtime(order.deadline).strftime("%m-%d %H:%M") in html


def test_a_step_on_a_supervised_card_keeps_its_badge(world):
    event = dispatch(world, "督办中签收")
    services.event_supervise(actor=world.oscar, event=event, days=0.5)
    response = world.client_for(world.dora).post(
        f"/command/events/{event.pk}/act/sign/",
        {"origin": "desk", "tab": "to_sign", "version": Event.objects.get(pk=event.pk).version},
        headers={"HX-Request": "true", "HX-Target": f"desk-row-{Assignment.objects.get(event=event).pk}"},
    )
    assert response.status_code == 200
    assert 'data-testid="supervision"' in page_text(response) and "以督办期限为准" in page_text(response)


def test_the_history_tab_costs_the_same_few_queries_for_one_row_or_twelve(
    world, django_assert_max_num_queries
):
    fed_back(world, "第一件")
    client = world.client_for(world.dora)
    client.get(DESK, {"tab": "history"})
    # As the desk's other tabs (see test_views_desk): session, person, counts, page count, rows, unread badge,
    # the session's save (3), and at most one look at the working calendar's overrides.
    with django_assert_max_num_queries(10):
        client.get(DESK, {"tab": "history"})
    for i in range(11):
        event = fed_back(world, f"第{i}件")
        services.event_supervise(actor=world.oscar, event=event, days=1)
    with django_assert_max_num_queries(10):
        response = client.get(DESK, {"tab": "history"})
    assert len(response.context["rows"]) == 12
