"""Who may see which event: their region, their unit's assignments, or what they reported or verify."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scope import scope_of

from .models import Assignment, Event


def visible_to(user: Any) -> QuerySet[Event]:
    scope = scope_of(user)
    if scope.everything:
        return Event.objects.all()
    q = scope.q(region_field="region_code")
    if scope.unit_id:
        q |= Q(pk__in=Assignment.objects.filter(unit_id=scope.unit_id).values("event_id"))
    if getattr(user, "is_authenticated", False) and user.is_active:
        q |= Q(reporter_id=user.pk) | Q(verifier_id=user.pk)
    return Event.objects.filter(q)


def access_event(user: Any, event_id: int) -> Event:
    """The event if `user` may see it; otherwise 404 (out of scope looks the same as absent)."""
    event = visible_to(user).select_related("event_type").filter(pk=event_id).first()
    if event is None:
        raise Http404("事件不存在或不在您的管辖范围内")
    return event
