"""Versioned event types in the loop: an event keeps the version it was reported under, a new report takes the
version in force, and the dispatch that starts the handling clock names the version and limit it used."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from grassroots.events.models import EventType, Transition
from grassroots.events.selectors import event_types_tree
from grassroots.open311.selectors import services_public
from grassroots.workflow.choices import CatalogueStatus
from grassroots.workflow.publishing import new_draft, publish

from .api_support import Api, Cast, cast_of, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


def version_2(world: Any, *, level_3_days: int) -> EventType:
    """ZF0103 v2, its township limit changed in the draft, published now."""
    draft = new_draft(EventType.objects.get(code="ZF0103"), actor=world.oscar)
    draft.limits.filter(level=3).update(amount=Decimal(level_3_days))
    return publish(draft, actor=world.oscar)


def dispatch_limit(api: Api, world: Any, cast: Cast, event_id: int) -> str:
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=cast.squad.pk)
    row = Transition.objects.filter(event_id=event_id, action="dispatch").get()
    return str(row.data["limit"])


def test_an_event_keeps_its_version_and_a_new_one_takes_the_version_in_force(api, world, cast):
    before = api.reported(world.alice, event_type="ZF0103")
    api.ok(world.oscar, before, "register")
    v2 = version_2(world, level_3_days=4)
    after = api.reported(world.alice, event_type="ZF0103")
    api.ok(world.oscar, after, "register")
    assert event(before).event_type.version == 1
    assert event(after).event_type_id == v2.pk
    # Dispatched after the change, the older event still runs against the limit of its own version.
    assert dispatch_limit(api, world, cast, before) == "ZF0103 v1：5 工作日"
    assert dispatch_limit(api, world, cast, after) == "ZF0103 v2：4 工作日"
    old, new = event(before), event(after)
    assert old.deadline and old.dispatched_at and new.deadline and new.dispatched_at
    assert (new.deadline - new.dispatched_at) < (old.deadline - old.dispatched_at)


def test_a_draft_is_not_offered_and_the_tree_shows_each_type_once(api, world, cast):
    draft = new_draft(EventType.objects.get(code="ZF01"), actor=world.oscar)
    new_draft(EventType.objects.get(code="ZF0103"), actor=world.oscar)
    before = [(major.code, [c.code for c in minors]) for major, minors in event_types_tree()]
    assert [code for code, _ in before].count("ZF01") == 1
    publish(draft, actor=world.oscar)  # the class moves to v2; its subclasses still name v1 as their parent
    after = {major.code: (major, [c.code for c in minors]) for major, minors in event_types_tree()}
    assert after["ZF01"][0].version == 2
    assert after["ZF01"][1] == dict(before)["ZF01"]
    public = list(services_public().values_list("code", flat=True))
    assert "ZF01" not in public and public.count("ZF0103") == 1


def test_the_admin_publishes_a_draft_and_drafts_the_next_version(admin_client, world):
    v1 = EventType.objects.get(code="ZF0103")
    url = reverse("admin:events_eventtype_changelist")
    admin_client.post(url, {"action": "draft_next_versions", "_selected_action": [v1.pk]})
    draft = EventType.objects.get(code="ZF0103", version=2)
    assert draft.status == CatalogueStatus.DRAFT
    page = admin_client.post(
        url, {"action": "publish_drafts", "_selected_action": [draft.pk, v1.pk]}, follow=True
    ).content.decode()
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert draft.status == CatalogueStatus.PUBLISHED and v1.valid_until == draft.valid_from
    assert "ZF0103 v1：只有草稿可以发布" in page and "已发布 ZF0103 v2" in page
