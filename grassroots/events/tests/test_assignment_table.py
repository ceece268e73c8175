"""The assignment's own table: `move_assignments` moves an assignment by a row of `ASSIGNMENT_TABLE` from each of the
row's sources to its target, and leaves an assignment in any other state as it was."""

import pytest
from django.utils import timezone

from grassroots.events import rules
from grassroots.events.choices import AssignmentStatus
from grassroots.events.models import Assignment
from grassroots.events.services.core import move_assignments

from .views_support import report

pytestmark = pytest.mark.django_db
NOW = timezone.now()

WRITING_ROWS = [m for m in rules.ASSIGNMENT_TABLE if m.target is not None]


def test_every_write_of_an_assignment_s_status_is_a_row_of_its_table():
    # Steps that keep the assignment's state (a request) are rows without a target; every other row moves it.
    assert {m.action for m in rules.ASSIGNMENT_TABLE if m.target is None} == {"request_extension"}


@pytest.mark.parametrize("status", AssignmentStatus.values)
@pytest.mark.parametrize("action", [m.action for m in WRITING_ROWS])
def test_a_move_of_the_table_and_every_move_outside_it(world, action, status):
    event = report(world.alice)
    assignment = Assignment.objects.create(
        event=event,
        unit=world.agency,
        round=1,
        status=status,
        level=3,
        mode="assigned",
        dispatched_by=world.oscar,
        dispatched_at=NOW,
        warn_at=NOW,
        deadline=NOW,
    )
    (row,) = [m for m in rules.ASSIGNMENT_TABLE if m.action == action]
    moved = move_assignments(Assignment.objects.filter(pk=assignment.pk), action)
    assignment.refresh_from_db()
    if status in row.sources:
        assert (moved, assignment.status) == (1, row.target)
    else:
        assert (moved, assignment.status) == (0, status)
