"""The event page's 转12345 form posts here; the panel itself is `templatetags/hotline.py`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.events.permissions import access_event
from grassroots.people.actors import person_of

from .services import hotline_hand_off


@login_required
@require_POST
def hand_off(request: HttpRequest, event_id: int) -> HttpResponse:
    viewer = person_of(request)
    event = access_event(viewer, event_id)
    try:
        hotline_hand_off(actor=viewer, event=event, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, f"未能转12345：{exc.message}")
    else:
        messages.success(request, f"已转12345：{event.number}，等待发送")
    return redirect("events:detail", event_id=event.pk)
