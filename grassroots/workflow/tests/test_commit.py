"""The write of every step: compare-and-set on (pk, version, status), the history row and the audit row together;
a stale record or a result its catalogue does not allow writes nothing."""

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.events.models import Event, Transition
from grassroots.events.tests.views_support import report
from grassroots.workflow.commit import Moved, commit_move, guard_result

pytestmark = pytest.mark.django_db


def _history(event: Event, moved: Moved) -> Transition:
    return Transition.objects.create(
        event=event,
        seq=moved.seq,
        at=moved.at,
        action="note",
        from_status=moved.from_status,
        to_status=moved.to_status,
        level=event.level,
    )


def test_a_move_sets_the_record_its_history_and_audit_in_one_go(world):
    event = report(world.alice)
    moved, row = commit_move(
        event, workflow="event", actor=world.oscar, action="note", to=None, history=_history
    )
    assert (moved.from_status, moved.to_status, moved.seq) == (event.status, event.status, event.version)
    assert Event.objects.get(pk=event.pk).version == event.version == 2
    assert isinstance(row, Transition) and row.seq == 2
    assert AuditEntry.objects.filter(action="event.note", object_id=str(event.pk)).count() == 1


def test_a_stale_record_loses_and_writes_nothing(world):
    event = report(world.alice)
    Event.objects.filter(pk=event.pk).update(version=5)
    with pytest.raises(Conflict) as lost:
        commit_move(
            event,
            workflow="event",
            actor=world.oscar,
            action="note",
            to=None,
            history=_history,
            stale=("stale_event", "已变化"),
        )
    assert lost.value.code == "stale_event"
    assert not Transition.objects.filter(event=event, action="note").exists()
    assert not AuditEntry.objects.filter(action="event.note").exists()


def test_a_result_outside_the_catalogue_s_kinds_is_refused_before_any_write(world):
    event = report(world.alice)
    with pytest.raises(InvalidInput) as refused:
        commit_move(
            event,
            workflow="event",
            actor=world.oscar,
            action="close",
            to="closed",
            history=_history,
            result="granted",
            allowed_results=frozenset({"settled", "not_settled"}),
        )
    assert refused.value.code == "result_not_allowed"
    assert Event.objects.get(pk=event.pk).version == 1
    with pytest.raises(InvalidInput):
        guard_result("won_the_lottery", None)
    guard_result("settled", frozenset({"settled"}))
