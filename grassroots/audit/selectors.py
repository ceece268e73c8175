"""Searching the audit log (the audit administrator's page and its export)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # the actor's name or account as logged
    action: str = ""  # an action code, exactly
    obj: str = ""  # object type code, id or name
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive

    def as_detail(self) -> dict[str, Any]:
        return {k: str(v) for k, v in self.__dict__.items() if v}


def _day(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def audit_search(*, filters: AuditFilter) -> QuerySet[AuditEntry]:
    rows = AuditEntry.objects.all()
    if filters.actor:
        rows = rows.filter(Q(actor_label__icontains=filters.actor) | Q(actor__username=filters.actor))
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.obj:
        rows = rows.filter(
            Q(object_type=filters.obj) | Q(object_id=filters.obj) | Q(object_repr__icontains=filters.obj)
        )
    if filters.since:
        rows = rows.filter(at__gte=_day(filters.since))
    if filters.until:
        rows = rows.filter(at__lt=_day(filters.until + dt.timedelta(days=1)))
    return rows.order_by("-id")
