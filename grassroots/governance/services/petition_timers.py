"""What the one timer worker does with a petition's clocks: tell the leader who took it (or, before one is named,
the handling unit's staff) before a limit runs out and when it has. No petition moves by itself."""

import datetime as dt

from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.workflow.models import Clock

from ..models import Petition
from .petition_common import CLOCK_LABELS


def _tell(clock: Clock, words: str, verb: str) -> None:
    petition = Petition.objects.filter(pk=clock.object_id).first()
    label = CLOCK_LABELS.get(clock.name)
    if petition is None or label is None:
        return
    people = [petition.leader_id] if petition.leader_id else unit_staff_ids([petition.unit_id])
    notify_after_commit(
        person_ids=people, verb=verb, text=f"信访件 {petition.pk}（{petition.title}）：{label}{words}"
    )


def petition_clock_warn(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, "将到，请抓紧办理", "petition_due_soon")


def petition_clock_overdue(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, "已届满", "petition_overdue")
