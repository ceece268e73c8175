"""The inspection pages as people use them: the task list by person, the page's 404 outside scope, a stale form
refused with the record unchanged, photos served only in scope, and a 市场监管 complaint that offers the on-site
check and links it."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.conftest import make_person
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office
from grassroots.events import services as event_services
from grassroots.events.choices import Source
from grassroots.events.models import EventType
from grassroots.events.tests.media_support import as_stored
from grassroots.people.choices import Role
from grassroots.workflow.links import link_offers, links_of

from ..models import Inspection
from ..services.inspection_steps import inspection_record
from ..services.inspections import inspection_create
from .support import IN_GRID_A, make_entity

JPEG = sample_jpeg()


@pytest.fixture
def setup(world: Any) -> Any:
    office = build_office(world)
    entity = make_entity(world, 1)
    inspection = inspection_create(
        actor=office.dora,
        entity=entity,
        kind="routine",
        unit=world.agency,
        inspectors=[office.inspectors[0].person],
    )
    return office, entity, inspection


def test_an_inspector_sees_their_own_tasks(client, world, setup):
    office, entity, _inspection = setup
    client.force_login(office.inspectors[0].person)
    page = client.get(reverse("market:inspections"))
    assert entity.name in page.content.decode()
    client.force_login(office.inspectors[1].person)
    page = client.get(reverse("market:inspections"))
    assert entity.name not in page.content.decode()  # not theirs ("only mine" by default)
    page = client.get(reverse("market:inspections") + "?mine=0")
    assert entity.name in page.content.decode()  # the office's area is theirs to see


def test_out_of_scope_is_404_and_a_stale_form_changes_nothing(client, world, setup):
    office, _entity, inspection = setup
    outsider = make_person("grid-b", "周敏", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    client.force_login(outsider)
    assert client.get(reverse("market:inspection", args=[inspection.pk])).status_code == 404
    client.force_login(office.inspectors[0].person)
    url = reverse("market:inspection_act", args=[inspection.pk, "record"])
    answer = client.post(url, {"version": inspection.version + 5, "conclusion": "compliant"})
    assert answer.status_code == 422 and "已被他人处理" in answer.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "assigned"
    answer = client.post(url, {"version": inspection.version, "conclusion": "compliant"})
    assert answer.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "closed"


def test_photos_are_served_in_scope_only(client, world, setup):
    office, _entity, inspection = setup
    inspector = office.inspectors[0].person
    photo = SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")
    inspection_record(
        actor=inspector,
        inspection=inspection,
        conclusion="problems",
        findings=[{"description": "x"}],
        photos=[photo],
    )
    stored = inspection.photos.get()
    url = reverse("market:inspection_photo", args=[inspection.pk, stored.pk])
    client.force_login(inspector)
    answer = client.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == as_stored(JPEG)
    client.force_login(
        make_person("grid-b", "周敏", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    )
    assert client.get(url).status_code == 404


def test_a_market_complaint_offers_the_check_and_is_linked_to_it(client, world, setup):
    office, entity, _inspection = setup
    event = event_services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="SC0102"),
        source=Source.PATROL,
        title="小吃店销售过期食品",
        lon=IN_GRID_A[0],
        lat=IN_GRID_A[1],
    ).event
    petra = make_person("petra", "孙雅", Role.PLATFORM_COORDINATOR, division=world.township)
    offers = link_offers(viewer=petra, workflow="event", record=event)
    assert any(label == "安排市场监管核查" for label, _url in offers)
    assert not link_offers(viewer=world.alice, workflow="event", record=event)
    client.force_login(office.dora)  # the office has not been sent the event: it cannot link it
    url = reverse("market:arrange") + f"?event={event.pk}&uscc={entity.uscc}"
    assert client.get(url).status_code == 404
    client.force_login(petra)
    url = reverse("market:arrange") + f"?event={event.pk}&uscc={entity.uscc}"
    answer = client.post(url, {"kind": "complaint", "inspectors": [office.inspectors[2].person.pk]})
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    made = Inspection.objects.get(event=event)
    assert made.kind == "complaint"
    seen = links_of(viewer=petra, workflow="inspection", object_id=made.pk)
    assert [link.object_id for link in seen] == [event.pk]
