"""`{% hotline_panel event %}` on the event page: the event's 12345 work orders (number, state, answer) and, for
the command room while the event is registered and not out, the 转12345 form."""

from typing import Any

from django import template

from grassroots.events import rules

from .. import steps
from ..models import WorkOrder

register = template.Library()


@register.inclusion_tag("hotline/panel.html", takes_context=True)
def hotline_panel(context: template.Context, event: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    orders = list(WorkOrder.objects.filter(event_id=event.pk).order_by("-created_at", "-id"))
    out = next((o for o in orders if o.is_out), None)
    kinds = rules.actor_kinds(event, viewer, set()) if getattr(viewer, "is_authenticated", False) else set()
    can_hand_off = out is None and steps.HAND_OFF in steps.WORKFLOW.allowed(event.status, kinds)
    return {
        "shown": bool(orders) or can_hand_off,
        "event": event,
        "orders": orders,
        "out": out,
        "can_hand_off": can_hand_off,
        "csrf_token": context.get("csrf_token"),
    }
