"""One open supervision order per event and kind (issue #12): a second 督办 while the first runs is refused with
`supervision_open`, by the service, by the database, by the event page's form; the timer does not urge twice."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import Conflict
from grassroots.events import services as s
from grassroots.events.choices import Status, SupervisionKind, SupervisionReason
from grassroots.events.models import Event, EventType, SupervisionOrder
from grassroots.events.services.escalation import SUPERVISION_OPEN
from grassroots.events.services.timers import timers_tick
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .test_timers import SECOND, deadline_of, dispatched

pytestmark = pytest.mark.django_db


def lead(world) -> Person:
    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    return world.oscar


def supervise(world, event: Event, kind: str = SupervisionKind.SUPERVISE) -> SupervisionOrder:
    event.refresh_from_db()
    return s.event_supervise(actor=lead(world), event=event, kind=kind, note="请加快办理")


def test_a_second_open_order_of_the_same_kind_is_refused_with_its_code_and_nothing_is_written(world):
    event = dispatched(world)
    supervise(world, event)
    version = Event.objects.get(pk=event.pk).version

    with pytest.raises(Conflict) as refused:
        supervise(world, event)

    assert refused.value.code == SUPERVISION_OPEN == "supervision_open"
    assert "该事件已有未结束的同类督办" in refused.value.message
    assert SupervisionOrder.objects.filter(event=event).count() == 1
    assert Event.objects.get(pk=event.pk).version == version


def test_an_urge_may_be_issued_while_a_supervision_order_is_open(world):
    event = dispatched(world)
    supervise(world, event, SupervisionKind.SUPERVISE)

    supervise(world, event, SupervisionKind.URGE)

    kinds = sorted(SupervisionOrder.objects.filter(event=event).values_list("kind", flat=True))
    assert kinds == [SupervisionKind.SUPERVISE, SupervisionKind.URGE]


def test_once_the_first_order_is_answered_a_new_one_of_the_same_kind_is_allowed(world):
    event = dispatched(world)
    supervise(world, event)
    s.event_sign(actor=world.dora, event=event)
    s.event_feed_back(actor=world.dora, event=event, feedback="已拆除")  # FED_BACK answers the order
    event.refresh_from_db()
    s.event_check(actor=world.oscar, event=event, passed=False, note="仍未拆除")  # rework: dispatched again
    assert SupervisionOrder.objects.get(event=event).resolved_at is not None

    supervise(world, event)

    orders = SupervisionOrder.objects.filter(event=event)
    assert orders.count() == 2 and orders.filter(resolved_at__isnull=True).count() == 1


def test_the_database_holds_one_open_order_per_event_and_kind(world):
    event = dispatched(world)
    order = supervise(world, event)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.create(
            event=event,
            kind=order.kind,
            reason=SupervisionReason.LEADER,
            issued_at=timezone.now(),
            deadline=order.deadline,
        )
    SupervisionOrder.objects.create(  # answered orders do not count
        event=event,
        kind=order.kind,
        reason=SupervisionReason.LEADER,
        issued_at=timezone.now(),
        deadline=order.deadline,
        resolved_at=timezone.now(),
    )


def test_an_order_that_slipped_past_the_check_is_refused_by_the_index_with_the_same_code(world, monkeypatch):
    """The index answers what the guard did not see (a concurrent order committed in between)."""
    event = dispatched(world)
    supervise(world, event)
    monkeypatch.setattr("grassroots.events.services.escalation.open_supervision_kinds", lambda event: set())

    with pytest.raises(Conflict) as refused:
        supervise(world, event)

    assert refused.value.code == SUPERVISION_OPEN
    assert SupervisionOrder.objects.filter(event=event).count() == 1


def test_the_timer_does_not_urge_again_while_its_earlier_urge_is_open(world):
    EventType.objects.filter(code="ZF0103").update(escalate_on_timeout=False)
    event = dispatched(world)
    first = timers_tick(now=deadline_of(event) + SECOND)
    assert first.overdue == 1
    # The unit returns it (not an answer to the urge); the room sends it again and the new clock runs out too.
    event.refresh_from_db()
    s.event_return(actor=world.dora, event=event, reason="不属于本单位职责")
    event.refresh_from_db()
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    event.refresh_from_db()

    second = timers_tick(now=deadline_of(event) + SECOND)

    assert (second.overdue, second.skipped, second.failed) == (1, 0, 0)
    event.refresh_from_db()
    assert event.overdue and event.status == Status.DISPATCHED
    assert SupervisionOrder.objects.filter(event=event, kind=SupervisionKind.URGE).count() == 1


def test_the_event_page_offers_only_the_kinds_with_no_open_order_and_refuses_a_stale_form(world):
    event = dispatched(world)
    shift_lead = lead(world)
    page = world.client_for(shift_lead)
    url = reverse("events:detail", args=[event.pk])
    assert 'value="supervise"' in page.get(url).content.decode()

    supervise(world, event)
    html = page.get(url).content.decode()
    assert 'name="kind" value="supervise"' not in html and 'name="kind" value="urge"' in html
    assert "已有未结束的督办，办结前不再重复下发" in html

    stale = page.post(
        reverse("events:act", args=[event.pk, "supervise"]),
        {"kind": "supervise", "reason": "leader", "days": "1", "note": "再督办"},
    )
    assert stale.status_code == 422
    assert "该事件已有未结束的同类督办" in stale.content.decode()
    assert SupervisionOrder.objects.filter(event=event).count() == 1

    supervise(world, event, SupervisionKind.URGE)
    assert 'name="kind"' not in page.get(url).content.decode()  # both open: the step is not offered
