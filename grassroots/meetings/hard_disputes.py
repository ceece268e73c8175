"""The hard disputes (疑难纠纷) a 矛盾联调 meeting is offered for its agenda: the township's disputes, visible to the
viewer, that are high-risk and still open, ended in failure (调解终止) and not yet closed, or open with a dispute
clock past its deadline. Read from `grassroots.governance` (its models only; nothing there is changed here); none
when that app is not installed."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from .choices import MeetingKind
from .models import Meeting

LIMIT = 30


@dataclass
class HardDispute:
    dispute: Any
    reasons: list[str] = field(default_factory=list)


def hard_disputes(meeting: Meeting, viewer: Any, now: dt.datetime | None = None) -> list[HardDispute]:
    """The township's hard disputes not yet on this meeting's agenda, the most reasons first, then the oldest."""
    if meeting.kind != MeetingKind.MEDIATION or not apps.is_installed("grassroots.governance"):
        return []
    from grassroots.governance.choices import OPEN_STATUSES, DisputeStatus, RiskLevel
    from grassroots.governance.permissions import disputes_visible_to

    now = now or timezone.now()
    open_ = Q(status__in=sorted(OPEN_STATUSES))
    late_ids = Clock.objects.filter(workflow="dispute").exclude(state=ClockState.STOPPED)
    late_ids = late_ids.filter(Q(overdue=True) | Q(state=ClockState.RUNNING, due_at__lt=now))
    late = set(late_ids.values_list("object_id", flat=True).distinct())
    on_agenda = meeting.agenda.filter(ref_workflow="dispute").values_list("ref_id", flat=True)
    rows = (
        disputes_visible_to(viewer)
        .filter(township_id=meeting.township_id)
        .filter((open_ & (Q(risk_level=RiskLevel.HIGH) | Q(pk__in=late))) | Q(status=DisputeStatus.FAILED))
        .exclude(pk__in=list(on_agenda))
        .select_related("village", "committee")
        .order_by("created_at", "pk")[:LIMIT]
    )
    out = []
    for d in rows:
        reasons = []
        if d.risk_level == RiskLevel.HIGH and d.status in OPEN_STATUSES:
            reasons.append("高风险")
        if d.status == DisputeStatus.FAILED:
            reasons.append("调解终止")
        if d.pk in late and d.status in OPEN_STATUSES:
            reasons.append("已超期")
        out.append(HardDispute(d, reasons))
    out.sort(key=lambda h: -len(h.reasons))
    return out
