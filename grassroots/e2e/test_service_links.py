"""便民服务 and the closed loop in Chromium: a village agent opens a resident's request for help (an event of the
platform) and files the application for them from its page; the command room records a complaint about an
application, which becomes a linked event."""

import pytest

from grassroots.convenience import services
from grassroots.convenience.choices import Status
from grassroots.convenience.models import Application
from grassroots.convenience.tests.support import build_centre
from grassroots.events import services as event_services
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.workflow.models import Link

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_agent_files_an_application_from_a_service_event(world, open_as):
    c = build_centre(world)
    event = event_services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="FW0202"),
        source=Source.PATROL,
        title="独居老人申领高龄津贴需要帮助",
        lon=120.885,
        lat=30.945,
    ).event
    agent = open_as(world.bob)
    agent.goto(f"/command/events/{event.pk}/")
    agent.click("[data-offer] >> text=代办登记")
    agent.wait_for_selector("[data-testid=source-event]")
    agent.select_option("[data-testid=item-pick]", c.service.code)
    agent.wait_for_selector("[data-testid=forward-form]")
    assert agent.input_value("#id_subject") == event.title  # carried over from the event
    agent.fill("#id_applicant_name", "沈阿婆")
    agent.fill("#id_entrustment", "委托书 红菱村 2026-017")
    agent.click("[data-testid=forward-submit]")
    agent.wait_for_selector("[data-testid=status]")

    application = Application.objects.get()
    assert application.status == Status.FORWARDED and application.agent == world.bob
    link = Link.objects.get()
    assert (link.source_workflow, link.source_id, link.target_id) == ("event", event.pk, application.pk)
    assert event.number in agent.inner_text("#links")  # the application's page shows where it came from
    agent.goto(f"/command/events/{event.pk}/")
    assert application.number in agent.inner_text("#links")


def test_the_command_room_files_a_complaint_about_an_application(world, open_as):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.service.code,
        applicant_name="沈阿婆",
        materials_received=[m.pk for m in c.service.materials.all()],
    )
    operator = open_as(world.oscar)
    operator.goto(f"/service/applications/{application.pk}/")
    operator.click("#complaint summary")
    operator.select_option("#complaint select[name=source]", "12345")
    operator.fill("#complaint input[name=complainant_name]", "沈阿婆")
    operator.fill("#complaint textarea[name=text]", "窗口让我跑了三趟还没办好")
    operator.click("[data-testid=complaint-submit]")
    operator.wait_for_selector(".messages .message >> text=投诉已转指挥室")

    event = Event.objects.get()
    assert event.source == Source.HOTLINE_12345 and event.event_type.code == "FW0502"
    assert event.description == "窗口让我跑了三趟还没办好" and event.reporter_name == "沈阿婆"
    assert Link.objects.filter(source_workflow="application", target_id=event.pk).exists()
    assert event.number in operator.inner_text("#links")
