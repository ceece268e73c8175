"""Links on the event page in a real browser: the operator follows "转为" from the first event to the one it became,
and finds "源自" leading back."""

import pytest

from grassroots.events import services
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source
from grassroots.events.models import EventType, TimeLimit
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_operator_follows_a_link_from_one_event_to_the_other_and_back(world, open_as):
    load_catalogue(
        EventType, TimeLimit
    )  # a transactional test's flush empties what the data migration loaded

    def reported(title: str) -> int:
        return services.event_report(
            actor=world.alice,
            event_type=EventType.objects.get(code="ZF0103"),
            source=Source.PATROL,
            title=title,
            lon=120.885,
            lat=30.945,
        ).event.pk

    first, case = reported("无照经营"), reported("无照经营立案查处")
    link_records(
        actor=world.oscar,
        source=RecordRef("event", first),
        target=RecordRef("event", case),
        kind=LinkKind.BECAME,
    )
    page = open_as(world.oscar)
    page.goto(f"/command/events/{first}/")
    page.locator("#links li", has_text="转为").get_by_role("link").click()
    page.wait_for_url(f"**/command/events/{case}/")
    assert "源自" in page.inner_text("#links")
    page.locator("#links li", has_text="源自").get_by_role("link").click()
    page.wait_for_url(f"**/command/events/{first}/")
