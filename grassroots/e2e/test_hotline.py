"""转12345 in Chromium: the operator hands a registered event to the 12345 platform from the event page, the worker
sends it to a local 12345 platform that speaks docs/hotline-12345.md, the platform calls back with its answer, and
the operator sees the answer on the event, which has moved on to 已反馈."""

from typing import Any

import pytest

from grassroots.events.choices import Status
from grassroots.events.models import Event
from grassroots.hotline.choices import OrderState
from grassroots.hotline.models import WorkOrder
from grassroots.hotline.sending import hotline_send_due
from grassroots.hotline.tests.fake_12345 import running
from grassroots.hotline.tests.support import SECRET, point_at, registered
from grassroots.open311.tests.conftest import ensure_catalogue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _catalogue(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def test_an_operator_hands_an_event_to_12345_and_sees_the_answer(
    world: Any, open_as: Any, live_server: Any, settings: Any
) -> None:
    event = registered(world)
    with running(SECRET) as platform:
        point_at(settings, platform.url)
        desk = open_as(world.oscar)
        desk.goto(f"/command/events/{event.pk}/")
        desk.fill("#hotline-note", "事权在区住建局，本级难以处置")
        desk.click("#hotline button[type=submit]")
        desk.wait_for_selector("#hotline .tag.yellow")
        assert "事件已转交12345平台办理，等待答复。" in desk.inner_text("#hotline")
        order = WorkOrder.objects.get(event=event)
        assert order.note == "事权在区住建局，本级难以处置"

        assert hotline_send_due() == 1  # the timer worker's turn
        order.refresh_from_db()
        assert order.state == OrderState.SENT
        desk.reload()
        assert order.external_number in desk.inner_text("#hotline")

        platform.answer(order.external_number, "区住建局已督促拆除违建棚，现场已清理。")
        status, body = platform.call_back(live_server.url, order.external_number)
        assert status == 200 and body["recorded"] is True

        desk.reload()
        panel = desk.inner_text("#hotline")
        assert "区住建局已督促拆除违建棚，现场已清理。" in panel and "已答复" in panel
        assert "12345答复" in desk.inner_text("#timeline")
        assert desk.inner_text("[data-testid=event-status]") == "已反馈"
    assert Event.objects.get(pk=event.pk).status == Status.FED_BACK
