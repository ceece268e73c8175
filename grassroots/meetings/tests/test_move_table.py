"""The meeting's table and its decisions', walked: every action from every state by an organiser and by the
convenor either lands where `rules.py` says or is refused with `invalid_transition` / `not_permitted`, and a refusal
changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest

from grassroots.core.errors import DomainError

from ..choices import MeetingStatus, TaskStatus
from ..models import Meeting, MeetingTask
from ..permissions import meeting_actor_kinds, task_actor_kinds
from ..rules import MEETING, MEETING_TASK
from ..services import documents, meetings, tasks
from .support import build_township, make_meeting

CALLS: dict[str, Callable[[Any, Meeting], Any]] = {
    "invite": lambda actor, m: meetings.meeting_invite(actor=actor, meeting=m, unit=m.township.units.first()),
    "add_agenda": lambda actor, m: meetings.meeting_add_agenda(actor=actor, meeting=m, title="议题"),
    "hold": lambda actor, m: meetings.meeting_hold(actor=actor, meeting=m, attendance=[]),
    "record_attendance": lambda actor, m: meetings.meeting_record_attendance(
        actor=actor, meeting=m, attendance=[]
    ),
    "record_minutes": lambda actor, m: meetings.meeting_record_minutes(
        actor=actor, meeting=m, minutes="纪要"
    ),
    "decide": lambda actor, m: tasks.meeting_decide(
        actor=actor, meeting=m, text="限期化解", limit_days=3, owner_unit=m.township.units.first()
    ),
    "approve_minutes": lambda actor, m: meetings.meeting_approve_minutes(actor=actor, meeting=m),
    "export_minutes": lambda actor, m: documents.meeting_export_minutes(actor=actor, meeting=m),
    "cancel": lambda actor, m: meetings.meeting_cancel(actor=actor, meeting=m, reason="改期"),
}


def test_every_action_of_the_table_has_a_call():
    assert set(CALLS) == set(MEETING.actions)


@pytest.mark.parametrize("status", MeetingStatus.values)
@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("who", ["organiser", "convenor", "owner"])
def test_every_action_from_every_state(world, status, action, who):
    town = build_township(world)
    meeting = make_meeting(town, convenor=town.lena)
    Meeting.objects.filter(pk=meeting.pk).update(status=status, minutes="已记录的纪要")
    meeting.refresh_from_db()
    actor = {"organiser": world.oscar, "convenor": town.lena, "owner": world.dora}[who]
    refusal = MEETING.refusal(action, status, meeting_actor_kinds(meeting, actor))
    before = meeting.version
    if refusal is None:
        CALLS[action](actor, meeting)
        meeting.refresh_from_db()
        assert meeting.status in {t or status for t in MEETING.targets(action, status)}
        assert meeting.version == before + 1
        assert meeting.history.filter(action=action).count() == 1
    else:
        with pytest.raises(DomainError) as exc:
            CALLS[action](actor, meeting)
        expected = "not_permitted" if MEETING.moves_for(action, status) else "invalid_transition"
        assert exc.value.code == expected
        meeting.refresh_from_db()
        assert meeting.version == before and meeting.status == status


TASK_CALLS: dict[str, Callable[[Any, MeetingTask], Any]] = {
    "complete": lambda actor, t: tasks.task_complete(actor=actor, task=t, done_note="已化解"),
    "withdraw": lambda actor, t: tasks.task_withdraw(actor=actor, task=t, reason="当事人已和解"),
}


@pytest.mark.parametrize("status", TaskStatus.values)
@pytest.mark.parametrize("action", sorted(TASK_CALLS))
@pytest.mark.parametrize("who", ["owner", "organiser", "outsider"])
def test_every_task_action_from_every_state(world, status, action, who):
    town = build_township(world)
    meeting = make_meeting(town)
    meetings.meeting_hold(actor=world.oscar, meeting=meeting, attendance=[])
    task = tasks.meeting_decide(
        actor=world.oscar, meeting=meeting, text="限期化解", limit_days=3, owner_person=world.dora
    )
    MeetingTask.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    actor = {"owner": world.dora, "organiser": world.oscar, "outsider": town.pete}[who]
    refusal = MEETING_TASK.refusal(action, status, task_actor_kinds(task, actor))
    before = task.version
    if refusal is None:
        TASK_CALLS[action](actor, task)
        task.refresh_from_db()
        assert task.status in {t or status for t in MEETING_TASK.targets(action, status)}
        assert task.version == before + 1
    else:
        with pytest.raises(DomainError) as exc:
            TASK_CALLS[action](actor, task)
        expected = "not_permitted" if MEETING_TASK.moves_for(action, status) else "invalid_transition"
        assert exc.value.code == expected
        task.refresh_from_db()
        assert task.version == before and task.status == status
