"""The steps of the loop over HTTP: `POST /api/v1/events/{event_id}/<action>`, one endpoint per step declared in
`steps.py` (its schema, its summary, its service call), made by the workflow core. Each loads the event in the
caller's scope and answers with its detail.
"""

from django.http import HttpRequest

from grassroots.workflow.endpoints import Resource, add_step_endpoints

from ..models import Event
from ..schemas import EventDetailOut
from ..steps import EVENT_LOOP
from .common import ERRORS, _detail, _load, _viewer, router


def _answer(request: HttpRequest, event: Event, action: str) -> EventDetailOut:
    return _detail(request, event.pk, purpose=f"api.events.{action}")


RESOURCE = Resource(
    id_name="event_id",
    prefix="event",
    actor=_viewer,
    load=_load,
    answer=_answer,
    response={200: EventDetailOut, **ERRORS},
    if_match="可选：客户端所见的事件版本（version）；与当前版本不符时返回 409 stale_event",
)

add_step_endpoints(router, RESOURCE, EVENT_LOOP)
