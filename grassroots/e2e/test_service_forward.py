"""代办 and public tracking, in Chromium: a village agent forwards an application for a resident, the township window
receives it and both ends see where it stands; a resident finds an application by its number on the public page,
which shows its progress and nothing of the applicant."""

import pytest

from grassroots.convenience import services
from grassroots.convenience.choices import Channel, Status
from grassroots.convenience.models import Application
from grassroots.convenience.tests.support import build_centre

from .service_support import RESIDENT, fresh, shoot, status_on_page, submit_step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_village_agent_forwards_an_application_and_the_township_window_receives_it(world, open_as):
    c = build_centre(world)
    id_card = c.service.materials.get()

    agent = open_as(world.bob)
    agent.goto("/service/")
    agent.click("[data-testid=new-forward]")
    agent.select_option("[data-testid=item-pick]", c.service.code)  # the page reloads with the item's form
    agent.wait_for_selector("[data-testid=forward-form]")
    agent.fill("#id_applicant_name", "沈阿婆")
    agent.fill("#id_applicant_phone", "13900002222")
    agent.fill("#id_entrustment", "委托书 红菱村 2026-001")
    agent.fill("#id_subject", "八十周岁高龄津贴")
    agent.check(f"input[name=received][value='{id_card.pk}']")
    shoot(agent, "service-forward")
    agent.click("[data-testid=forward-submit]")
    agent.wait_for_selector("[data-testid=status]")

    application = Application.objects.get()
    assert application.status == Status.FORWARDED and application.version == 1
    assert application.channel == Channel.AGENT and application.agent == world.bob
    assert application.agent_village == world.village_a and application.centre == c.centre
    assert application.materials_received == [id_card.pk] and application.visits == 0
    assert status_on_page(agent) == "代办转交"

    # The township window finds it under 代办待接件 and receives it: the promise clock starts.
    desk = open_as(c.wendy)
    desk.goto("/service/?tab=forwarded")
    desk.click(f"[data-testid=desk-list] a >> text={application.number}")
    desk.select_option("form#step-receive select[name=window_id]", str(c.window_1.pk))
    submit_step(desk, "receive", "已接件")
    application = fresh(application)
    assert application.status == Status.RECEIVED and application.version == 2
    assert application.window == c.window_1 and application.due_at is not None
    assert application.history.latest("id").actor == c.wendy
    assert application.visits == 0  # the resident did not come to the township
    shoot(desk, "service-received")

    # The agent follows the progress from the village.
    agent.goto("/service/")
    assert application.number in agent.inner_text("[data-testid=desk-list]")
    agent.goto(f"/service/applications/{application.pk}/")
    assert status_on_page(agent) == "已接件"


def test_the_public_page_tracks_an_application_without_personal_data(world, open_as):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.service.code,
        applicant_name=RESIDENT["name"],
        applicant_phone=RESIDENT["phone"],
        applicant_id_number=RESIDENT["id_number"],
        subject="本人高龄津贴",
        materials_received=[c.service.materials.get().pk],
    )
    services.application_decide(actor=c.wendy, application=fresh(application), result="granted")

    page = open_as(None, phone=True)
    page.goto("/s/track/")
    page.fill("[data-testid=track-number]", application.number.lower())  # typed in lower case: still found
    page.click("button >> text=查询")
    page.wait_for_selector("[data-testid=track-result]")
    result = page.inner_text("[data-testid=track-result]")
    assert c.service.name in result and application.number in result
    assert "已办结" in result and "窗口受理" in result and "办结" in result
    html = page.content()
    for personal in (*RESIDENT.values(), "本人高龄津贴", c.wendy.name):
        assert personal not in html, personal
    shoot(page, "service-track")

    page.fill("[data-testid=track-number]", "BJ2026000000000000")
    page.click("button >> text=查询")
    assert "没有找到该办件" in page.inner_text("[role=alert]")
