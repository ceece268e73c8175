"""Whoever reported a problem is never the one sent to verify it or check its handling (issue #12): refused by a
named guard in the service, and not offered on the event page."""

import pytest
from django.urls import reverse

from grassroots.core.errors import InvalidInput
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event
from grassroots.events.services.core import REPORTER_CHECKS
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .views_support import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivy(world) -> Person:
    """A second grid worker on grid A."""
    return Person.objects.create_user(
        username="ivy",
        password="Secret@2026",
        name="吴静",
        role=Role.GRID_WORKER,
        grid=world.grid_a,
        division=world.village_a,
    )


def fed_back(world) -> Event:
    event = report(world.alice)  # Alice's own patrol report
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=event)
    s.event_feed_back(actor=world.dora, event=event, feedback="已拆除")
    event.refresh_from_db()
    return event


def test_the_reporter_cannot_be_sent_to_check_the_handling_of_their_own_report(world, ivy):
    event = fed_back(world)

    with pytest.raises(InvalidInput) as refused:
        s.event_check(actor=world.oscar, event=event, checker=world.alice)

    assert refused.value.code == REPORTER_CHECKS == "reporter_checks_own"
    assert refused.value.details == {"checker": "上报人不能担任"}
    assert "上报人" in refused.value.message
    event.refresh_from_db()
    assert event.status == Status.FED_BACK and event.verifier_id is None
    s.event_check(actor=world.oscar, event=event, checker=ivy)  # another worker may go
    assert Event.objects.get(pk=event.pk).verifier_id == ivy.pk


def test_the_reporter_cannot_be_sent_to_verify_their_own_report(world, ivy):
    event = report(world.alice, source=Source.STAFF)

    with pytest.raises(InvalidInput) as refused:
        s.event_verify(actor=world.oscar, event=event, verifier=world.alice)

    assert refused.value.code == REPORTER_CHECKS
    assert Event.objects.get(pk=event.pk).status == Status.REPORTED


def test_a_reporter_of_a_merged_duplicate_counts_as_a_reporter(world, ivy):
    hotline = report(world.oscar, source=Source.PHONE, title="来电反映违建")
    duplicate = report(world.alice, title="同一处违建")
    s.event_merge(actor=world.oscar, event=duplicate, into=hotline)
    hotline.refresh_from_db()

    with pytest.raises(InvalidInput):
        s.event_verify(actor=world.oscar, event=hotline, verifier=world.alice)
    s.event_verify(actor=world.oscar, event=hotline, verifier=ivy)


def test_the_event_page_does_not_offer_the_reporter_as_checker_or_verifier(world, ivy):
    page = world.client_for(world.oscar)
    event = fed_back(world)
    html = page.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert f'<option value="{ivy.pk}">' in html and f'<option value="{world.alice.pk}">' not in html

    to_verify = report(world.alice, source=Source.STAFF)
    html = page.get(reverse("events:detail", args=[to_verify.pk])).content.decode()
    assert f'<option value="{ivy.pk}">' in html and f'<option value="{world.alice.pk}">' not in html


def test_a_posted_reporter_is_refused_next_to_the_checker_field(world, ivy):
    event = fed_back(world)

    response = world.client_for(world.oscar).post(
        reverse("events:act", args=[event.pk, "check"]), {"checker": world.alice.pk}
    )

    assert response.status_code == 422
    assert Event.objects.get(pk=event.pk).status == Status.FED_BACK


def test_the_reporter_cannot_record_the_check_of_her_own_report_herself(world, ivy):
    event = fed_back(world)
    with pytest.raises(InvalidInput) as refused:
        s.event_check(actor=world.alice, event=event, passed=True)
    assert refused.value.code == REPORTER_CHECKS
    event.refresh_from_db()
    assert event.status == Status.FED_BACK and not event.transitions.filter(action="check").exists()
    # A teammate on the grid may, and so may the command room (by video).
    s.event_check(actor=ivy, event=event, passed=True)
    assert Event.objects.get(pk=event.pk).status == Status.CHECKED
