"""Links between records of workflows: each refusal by its code, one row read both ways with each side's words,
records the viewer may not see left out, an audit row with every change, and a constant number of queries.

Units stand in for a second workflow (an enforcement case, a rectification task) until one exists: a unit is
"visible" to its own staff only, which is enough to see a link's other side hidden from someone.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError
from grassroots.core.scope import scope_of
from grassroots.events.models import Event
from grassroots.events.tests.api_support import IN_GRID_B
from grassroots.events.tests.views_support import report
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import (
    RecordRef,
    link_records,
    links_of,
    register_link_workflow,
    unlink,
    unregister_link_workflow,
)
from grassroots.workflow.models import Link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _unit_workflow() -> Iterator[None]:
    register_link_workflow(
        "unit",
        label="单位",
        model=Unit,
        visible=lambda viewer: Unit.objects.filter(scope_of(viewer).q(unit_field="pk")),
        title=lambda unit: unit.name,
        url=lambda unit: f"/units/{unit.pk}/",
    )
    yield
    unregister_link_workflow("unit")


def ev(event: Event) -> RecordRef:
    return RecordRef("event", event.pk)


def unit(u: Unit) -> RecordRef:
    return RecordRef("unit", u.pk)


def refused(code: str, **kwargs: Any) -> None:
    with pytest.raises(DomainError) as caught:
        link_records(**kwargs)
    assert caught.value.code == code


# -- guards -------------------------------------------------------------------------------------------------


def test_a_record_cannot_be_linked_to_itself(world):
    event = report(world.alice)
    refused("link_to_self", actor=world.oscar, source=ev(event), target=ev(event), kind=LinkKind.RELATED)
    assert not Link.objects.exists()


def test_the_same_link_is_refused_again_either_way_round_but_another_kind_is_not(world):
    a, b = report(world.alice), report(world.alice)
    link_records(actor=world.oscar, source=ev(a), target=ev(b), kind=LinkKind.BECAME)
    refused("link_exists", actor=world.oscar, source=ev(a), target=ev(b), kind=LinkKind.BECAME)
    refused("link_exists", actor=world.oscar, source=ev(b), target=ev(a), kind=LinkKind.BECAME)
    link_records(actor=world.oscar, source=ev(b), target=ev(a), kind=LinkKind.RELATED)
    assert Link.objects.count() == 2


def test_the_database_refuses_a_duplicate_and_a_self_link_too(world):
    now = timezone.now()
    row = {
        "source_workflow": "event",
        "source_id": 1,
        "target_workflow": "unit",
        "target_id": 2,
        "kind": "became",
    }
    Link.objects.create(**row, created_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(**row, created_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(**{**row, "target_workflow": "event", "target_id": 1}, created_at=now)


def test_both_records_must_exist(world):
    event = report(world.alice)
    missing = RecordRef("event", event.pk + 1000)
    refused(
        "link_record_not_found", actor=world.oscar, source=ev(event), target=missing, kind=LinkKind.RELATED
    )
    refused("link_record_not_found", actor=None, source=missing, target=ev(event), kind=LinkKind.RELATED)


def test_a_record_outside_the_actors_scope_looks_absent(world):
    theirs, mine = report(world.alice), report(world.oscar, **IN_GRID_B)
    refused(
        "link_record_not_found", actor=world.carol, source=ev(mine), target=ev(theirs), kind=LinkKind.RELATED
    )
    refused(
        "link_record_not_found",
        actor=world.oscar,
        source=ev(theirs),
        target=unit(world.agency),
        kind="became",
    )


def test_an_unknown_workflow_or_kind_is_refused(world):
    event = report(world.alice)
    refused(
        "link_workflow_unknown",
        actor=world.oscar,
        source=ev(event),
        target=("no_such_workflow", 1),
        kind="became",
    )
    refused(
        "link_kind_unknown", actor=world.oscar, source=ev(event), target=unit(world.command_room), kind="x"
    )


def test_a_note_longer_than_the_column_is_refused_not_cut(world):
    a, b = report(world.alice), report(world.alice)
    refused(
        "link_note_too_long", actor=world.oscar, source=ev(a), target=ev(b), kind="related", note="长" * 201
    )


def test_a_refused_link_writes_nothing_and_a_link_writes_its_audit_row(world):
    a, b = report(world.alice), report(world.alice)
    before = AuditEntry.objects.count()
    refused("link_to_self", actor=world.oscar, source=ev(a), target=ev(a), kind=LinkKind.RELATED)
    assert AuditEntry.objects.count() == before
    link = link_records(actor=world.oscar, source=ev(a), target=ev(b), kind=LinkKind.BECAME, note=" 转执法 ")
    entry = AuditEntry.objects.get(action="workflow.link")
    assert entry.actor_id == world.oscar.pk and entry.object_id == str(link.pk)
    assert entry.detail == {
        "source": ["event", a.pk],
        "target": ["event", b.pk],
        "kind": "became",
        "note": "转执法",
    }
    assert link.created_by == world.oscar and link.note == "转执法"


def test_the_system_may_link_records_it_did_not_see_through_a_person(world):
    event = report(world.alice)
    link = link_records(actor=None, source=ev(event), target=unit(world.agency), kind=LinkKind.BECAME)
    assert link.created_by is None


# -- unlink -------------------------------------------------------------------------------------------------


def test_unlink_removes_the_link_with_an_audit_row(world):
    a, b = report(world.alice), report(world.alice)
    link = link_records(actor=world.oscar, source=ev(a), target=ev(b), kind=LinkKind.RELATED)
    unlink(actor=world.oscar, link_id=link.pk)
    assert not Link.objects.exists()
    assert AuditEntry.objects.get(action="workflow.unlink").detail["target"] == ["event", b.pk]
    assert links_of(viewer=world.oscar, workflow="event", object_id=a.pk) == []


def test_unlink_of_a_missing_link_or_one_the_actor_cannot_see_both_sides_of_is_refused(world):
    theirs, mine = report(world.alice), report(world.oscar, **IN_GRID_B)
    link = link_records(actor=world.oscar, source=ev(mine), target=ev(theirs), kind=LinkKind.RELATED)
    for actor, link_id in ((world.oscar, link.pk + 1), (world.carol, link.pk)):
        with pytest.raises(DomainError) as caught:
            unlink(actor=actor, link_id=link_id)
        assert caught.value.code == "link_not_found"
    assert Link.objects.filter(pk=link.pk).exists()


# -- reading ------------------------------------------------------------------------------------------------


def test_one_link_reads_became_from_its_source_and_arose_from_on_its_target(world):
    event = report(world.alice, title="占道经营")
    link_records(actor=world.oscar, source=ev(event), target=unit(world.command_room), kind=LinkKind.BECAME)
    [from_event] = links_of(viewer=world.oscar, workflow="event", object_id=event.pk)
    assert (from_event.wording, from_event.outgoing) == ("转为", True)
    assert (from_event.workflow, from_event.object_id) == ("unit", world.command_room.pk)
    assert from_event.title == world.command_room.name and from_event.workflow_label == "单位"
    [from_unit] = links_of(viewer=world.oscar, workflow="unit", object_id=world.command_room.pk)
    assert (from_unit.wording, from_unit.outgoing) == ("源自", False)
    assert from_unit.title == f"{event.number} 占道经营"
    assert from_unit.url == f"/command/events/{event.pk}/" and from_unit.workflow_label == "事件"


@pytest.mark.parametrize(
    ("kind", "source_words", "target_words"),
    [("related", "关联", "关联"), ("merged", "并入", "合并自"), ("rectification", "整改任务", "整改对象")],
)
def test_each_kind_has_its_words_on_each_side(world, kind, source_words, target_words):
    a, b = report(world.alice), report(world.alice)
    link_records(actor=world.oscar, source=ev(a), target=ev(b), kind=kind)
    assert [s.wording for s in links_of(viewer=world.oscar, workflow="event", object_id=a.pk)] == [
        source_words
    ]
    assert [s.wording for s in links_of(viewer=world.oscar, workflow="event", object_id=b.pk)] == [
        target_words
    ]


def test_a_linked_record_the_viewer_may_not_see_is_left_out(world):
    theirs, mine = report(world.alice), report(world.oscar, **IN_GRID_B)
    link_records(actor=world.oscar, source=ev(mine), target=ev(theirs), kind=LinkKind.RELATED)
    link_records(actor=None, source=ev(mine), target=unit(world.agency), kind=LinkKind.BECAME)
    assert links_of(viewer=world.carol, workflow="event", object_id=mine.pk) == []
    assert [s.object_id for s in links_of(viewer=world.oscar, workflow="event", object_id=mine.pk)] == [
        theirs.pk
    ]
    # Dora works at the agency: from the event she sees the agency, not the other event; from the agency, nothing.
    assert [s.workflow for s in links_of(viewer=world.dora, workflow="event", object_id=mine.pk)] == ["unit"]
    assert links_of(viewer=world.dora, workflow="unit", object_id=world.agency.pk) == []


def test_a_link_to_a_workflow_no_longer_registered_is_not_shown(world):
    event = report(world.alice)
    link_records(actor=None, source=ev(event), target=unit(world.agency), kind=LinkKind.BECAME)
    unregister_link_workflow("unit")
    assert links_of(viewer=world.oscar, workflow="event", object_id=event.pk) == []


def test_reading_costs_one_query_for_the_links_and_one_per_workflow_however_many(
    world, django_assert_num_queries
):
    hub = report(world.alice)
    others = [report(world.alice) for _ in range(6)]
    units = [
        Unit.objects.create(
            code=f"U{i}", name=f"单位{i}", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
        )
        for i in range(6)
    ]
    for other in others[:1]:
        link_records(actor=None, source=ev(hub), target=ev(other), kind=LinkKind.RELATED)
    link_records(actor=None, source=unit(units[0]), target=ev(hub), kind=LinkKind.RECTIFICATION)
    admin = world.oscar
    admin.is_superuser = True  # sees every unit, so all links show
    with django_assert_num_queries(3):
        assert len(links_of(viewer=admin, workflow="event", object_id=hub.pk)) == 2
    for other in others[1:]:
        link_records(actor=None, source=ev(other), target=ev(hub), kind=LinkKind.BECAME)
    for u in units[1:]:
        link_records(actor=None, source=ev(hub), target=unit(u), kind=LinkKind.BECAME)
    with django_assert_num_queries(3):
        assert len(links_of(viewer=admin, workflow="event", object_id=hub.pk)) == 12
