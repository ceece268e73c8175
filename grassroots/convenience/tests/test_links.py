"""The platform and the closed loop linked both ways: a 便民服务 event filed as an application for the resident (by
the window, or the village agent), and a complaint about an application filed as an event."""

from typing import Any

import pytest
from django.urls import reverse

from grassroots.events import services as event_services
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.workflow.models import Link

from ..models import Application
from .support import build_centre

IN_GRID_A: dict[str, Any] = {"lon": 120.885, "lat": 30.945}


def _report(world: Any, code: str, title: str) -> Event:
    return event_services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code=code),
        source=Source.PATROL,
        title=title,
        **IN_GRID_A,
    ).event


@pytest.fixture
def centre(world: Any) -> Any:
    return build_centre(world)


def test_a_service_event_is_filed_as_an_application_and_both_pages_show_the_link(
    world: Any, centre: Any
) -> None:
    event = _report(world, "FW0202", "独居老人申领高龄津贴需要帮助")
    # The command room sends the resident's request to the service centre, whose clerks then see it.
    event_services.event_register(actor=world.oscar, event=event)
    event_services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=centre.unit.pk)
    clerk = world.client_for(centre.wendy)
    page = clerk.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert f"/service/apply/?event={event.pk}" in page  # the offer, on the event's page
    accept = clerk.get(f"/service/apply/?event={event.pk}&item={centre.service.code}").content.decode()
    assert 'data-testid="source-event"' in accept and event.title in accept
    response = clerk.post(
        "/service/apply/",
        {
            "item": centre.service.code,
            "from_event": event.pk,
            "applicant_kind": "person",
            "applicant_name": "沈阿婆",
            "channel": "window",
            "received": [m.pk for m in centre.service.materials.all()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    link = Link.objects.get()
    assert (link.source_workflow, link.source_id, link.target_workflow, link.target_id, link.kind) == (
        "event",
        event.pk,
        "application",
        application.pk,
        "became",
    )
    assert event.number in clerk.get(f"/service/applications/{application.pk}/").content.decode()
    assert application.number in clerk.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_the_village_agent_is_offered_the_forward_and_links_it(world: Any, centre: Any) -> None:
    event = _report(world, "FW0202", "残疾人补贴代办")
    agent = world.client_for(world.bob)
    assert (
        f"/service/forward/?event={event.pk}"
        in agent.get(reverse("events:detail", args=[event.pk])).content.decode()
    )
    response = agent.post(
        "/service/forward/",
        {
            "item": centre.service.code,
            "from_event": event.pk,
            "applicant_kind": "person",
            "applicant_name": "沈阿婆",
            "entrustment": "委托书 2026-17",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Link.objects.get().target_id == Application.objects.get().pk


def test_an_event_of_another_platform_is_not_offered_and_not_linked(world: Any, centre: Any) -> None:
    event = _report(world, "ZF0101", "路边暴露垃圾")
    event_services.event_register(actor=world.oscar, event=event)
    event_services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=centre.unit.pk)
    clerk = world.client_for(centre.wendy)
    assert "?event=" not in clerk.get(reverse("events:detail", args=[event.pk])).content.decode()
    from ..services import application_apply

    with pytest.raises(Exception) as refused:
        application_apply(
            actor=centre.wendy,
            item_code=centre.service.code,
            applicant_name="沈阿婆",
            materials_received=[m.pk for m in centre.service.materials.all()],
            from_event=event.pk,
        )
    assert getattr(refused.value, "code", "") == "event_not_service"
    assert not Application.objects.exists() and not Link.objects.exists()  # nothing half-written


def test_a_complaint_about_an_application_becomes_a_linked_event(world: Any, centre: Any) -> None:
    from ..services import application_apply

    application = application_apply(
        actor=centre.wendy,
        item_code=centre.service.code,
        applicant_name="沈阿婆",
        materials_received=[m.pk for m in centre.service.materials.all()],
    )
    operator = world.client_for(world.oscar)  # the command room takes the hotline's call
    url = f"/service/applications/{application.pk}/complain/"
    empty = operator.post(url, {"source": "phone", "text": "  "})
    assert empty.status_code == 422 and "投诉内容" in empty.content.decode()
    bad_phone = operator.post(url, {"source": "phone", "text": "投诉", "complainant_phone": "12ab"})
    assert bad_phone.status_code == 422 and "联系电话应为 7–12 位数字" in bad_phone.content.decode()
    assert not Event.objects.exists()
    response = operator.post(
        url, {"source": "phone", "text": "窗口让我跑了三趟还没办好", "complainant_name": "沈阿婆"}
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.event_type.code == "FW0502" and event.source == Source.PHONE
    assert application.number in event.title and event.reporter_name == "沈阿婆"
    link = Link.objects.get()
    assert (link.source_workflow, link.target_workflow, link.target_id) == ("application", "event", event.pk)
    assert event.number in operator.get(f"/service/applications/{application.pk}/").content.decode()


def test_a_grid_worker_may_not_file_complaints_here(world: Any, centre: Any) -> None:
    from ..services import application_apply

    application = application_apply(
        actor=centre.wendy,
        item_code=centre.service.code,
        applicant_name="沈阿婆",
        materials_received=[m.pk for m in centre.service.materials.all()],
    )
    response = world.client_for(world.alice).post(
        f"/service/applications/{application.pk}/complain/", {"source": "phone", "text": "投诉"}
    )
    assert response.status_code == 403 and not Event.objects.exists()
