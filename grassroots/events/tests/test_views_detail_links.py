"""Links on the event page: one link shows on both events, each with its own words, and a linked event the
viewer may not see is not there at all."""

from typing import Any

import pytest

from grassroots.events.models import Event
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

from .views_support import IN_GRID_B, page_text, report

pytestmark = pytest.mark.django_db


def url(event: Event) -> str:
    return f"/command/events/{event.pk}/"


def links_panel(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return page_text(response).split('id="links"', 1)[1].split("</section>", 1)[0]


def test_a_link_shows_on_both_events_pages_read_from_each_side(world):
    first = report(world.alice, title="无照经营")
    case = report(world.alice, title="无照经营立案查处")
    link_records(
        actor=world.oscar,
        source=RecordRef("event", first.pk),
        target=RecordRef("event", case.pk),
        kind=LinkKind.BECAME,
        note="移交综合执法",
    )
    client = world.client_for(world.oscar)
    html = page_text(client.get(url(first)))
    assert (
        'id="links"' in html
        and "转为" in html
        and f'href="{url(case)}"' in html
        and "无照经营立案查处" in html
    )
    assert "移交综合执法" in html
    html = links_panel(client.get(url(case)))
    assert "源自" in html and f'href="{url(first)}"' in html and "转为" not in html


def test_a_linked_event_outside_the_viewers_scope_is_not_on_the_page(world):
    theirs = report(world.alice, title="甲村的事")
    mine = report(world.oscar, title="乙村的事", **IN_GRID_B)
    link_records(
        actor=world.oscar,
        source=RecordRef("event", mine.pk),
        target=RecordRef("event", theirs.pk),
        kind=LinkKind.RELATED,
    )
    response = world.client_for(world.carol).get(url(mine))
    assert response.context["record_links"] == [] and "没有关联的其他记录" in links_panel(response)
    assert f'href="{url(theirs)}"' in links_panel(world.client_for(world.oscar).get(url(mine)))
