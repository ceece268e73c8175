"""The department desk in a real browser: a task the unit has fed back on moves to the 已办结 tab with its outcome
and a link to the event, and a card of a task under supervision (督办) shows the badge and the order's deadline
when it falls before the task's own."""

import pytest
from django.utils import timezone

from grassroots.events import services
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import AssignmentStatus, Source
from grassroots.events.models import Assignment, Event, EventType, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def dispatched(world, title: str) -> Event:
    event = services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
    ).event
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return Event.objects.get(pk=event.pk)


def test_a_task_fed_back_on_the_desk_appears_under_the_history_tab(world, open_as):
    load_catalogue(EventType, TimeLimit)  # a transactional test's flush empties what the migration loaded
    event = dispatched(world, "河边私搭简易棚")
    services.event_sign(actor=world.dora, event=event)
    assignment = Assignment.objects.get(event=event)

    desk = open_as(world.dora)
    desk.goto("/command/desk/?tab=in_hand")
    row = f"#desk-row-{assignment.pk}"
    desk.click(f"{row} details:has(form.action-feed_back) > summary")
    desk.fill(f"{row} form.action-feed_back textarea[name=feedback]", "已联系当事人，彩钢棚已拆除")
    desk.click(f"{row} form.action-feed_back button[type=submit]")
    desk.wait_for_function(
        f"document.querySelector('{row} [data-testid=assignment-status]').innerText.includes('已反馈')"
    )
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.FED_BACK
    assert desk.inner_text('[data-testid="desk-tab-history"] .tab-count') == "1"

    desk.click('[data-testid="desk-tab-history"]')
    desk.wait_for_selector('[data-testid="desk-tab-history"][aria-current="page"]')
    item = desk.locator(row)
    assert "已联系当事人，彩钢棚已拆除" in item.inner_text()
    assert "已反馈" in item.inner_text()
    assert "?tab=history" in desk.url
    item.locator("a.event-link").click()
    desk.wait_for_url(f"**/command/events/{event.pk}/")


def test_a_card_under_supervision_shows_the_badge_and_the_earlier_deadline(world, open_as):
    load_catalogue(EventType, TimeLimit)
    urgent = dispatched(world, "领导督办的违建")
    order = services.event_supervise(actor=world.oscar, event=urgent, days=0.5, note="半天内拆除")
    relaxed = dispatched(world, "督办期限较宽的整治")
    services.event_supervise(actor=world.oscar, event=relaxed, days=30)
    plain = dispatched(world, "普通任务")
    task = Assignment.objects.get(event=urgent)
    assert order.deadline < task.deadline

    desk = open_as(world.dora)
    desk.goto("/command/desk/")
    card = desk.locator(f"#desk-row-{task.pk}")
    badge = card.locator('[data-testid="supervision"]')
    assert "督办" in badge.inner_text()
    due = timezone.localtime(order.deadline).strftime("%m-%d %H:%M")
    assert due in badge.inner_text()
    assert "以督办期限为准" in badge.inner_text()

    later = desk.locator(f"#desk-row-{Assignment.objects.get(event=relaxed).pk}")
    assert "督办" in later.locator('[data-testid="supervision"]').inner_text()
    assert "以督办期限为准" not in later.inner_text()
    assert (
        desk.locator(
            f'#desk-row-{Assignment.objects.get(event=plain).pk} [data-testid="supervision"]'
        ).count()
        == 0
    )
