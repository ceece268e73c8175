"""One event as a viewer sees it: the detail with everything its page shows, and the reporter masked by role."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_email, mask_name
from grassroots.people.choices import Role
from grassroots.people.selectors import personal_data, sees_personal_data

from ..models import Assignment, Event, ExtensionRequest, SupervisionOrder, Suspension, Transition
from ..permissions import access_event

# -- one event ----------------------------------------------------------------------------------------------


def event_detail(*, viewer: Any, event_id: int) -> Event:
    """The event with its history, assignments, orders, requests, files and merged reports; 404 out of scope."""
    event = access_event(viewer, event_id)
    return (
        Event.objects.select_related(
            "event_type",
            "holder_unit",
            "grid",
            "village",
            "township",
            "first_receiver",
            "leader",
            "verifier",
            "merged_into",
        )
        .prefetch_related(
            Prefetch(
                "transitions", queryset=Transition.objects.select_related("actor", "unit").order_by("seq")
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").order_by("round", "role", "id"),
            ),
            Prefetch(
                "supervision_orders",
                queryset=SupervisionOrder.objects.select_related("unit", "issued_by").order_by(
                    "issued_at", "id"
                ),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related("assignment__unit").order_by(
                    "requested_at", "id"
                ),
            ),
            Prefetch(
                "suspensions",
                queryset=Suspension.objects.select_related("assignment__unit", "requested_by", "decided_by"),
            ),
            "attachments",
            Prefetch("merged", queryset=Event.objects.order_by("reported_at", "id")),
        )
        .get(pk=event.pk)
    )


# -- the reporter, as a viewer may see them -----------------------------------------------------------------

# Handling units never see who reported (DOMAIN.md §10), whatever else their role allows.
HANDLING_ROLES = frozenset(
    {Role.DEPARTMENT_STAFF, Role.VILLAGE_STAFF, Role.INSPECTOR, Role.WINDOW_CLERK, Role.MEDIATOR}
)
REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email")


def hides_reporter(viewer: Any, event: Event) -> bool:
    """Whether `viewer` is on the handling side of `event`: by role, or because their unit was assigned it."""
    if getattr(viewer, "is_superuser", False):
        return False
    if getattr(viewer, "role", "") in HANDLING_ROLES:
        return True
    unit_id = getattr(viewer, "unit_id", None)
    return bool(unit_id) and any(a.unit_id == unit_id for a in event.assignments.all())


def event_reporter_shown(*, viewer: Any, event: Event, purpose: str) -> dict[str, Any]:
    """The reporter's name, phone and email masked by role; an unmasked read by anyone else is audited."""
    hidden = hides_reporter(viewer, event)
    shown = personal_data(
        viewer=None if hidden else viewer,
        name=event.reporter_name,
        phone=event.reporter_phone,
        id_number="",
        subject_id=None if hidden else event.reporter_id,
    )
    masked = hidden or not sees_personal_data(viewer, event.reporter_id)
    email = mask_email(event.reporter_email) if masked and event.reporter_email else event.reporter_email
    own = event.reporter_id is not None and event.reporter_id == getattr(viewer, "pk", None)
    if not masked and not own and any(getattr(event, f) for f in REPORTER_FIELDS):
        audit_record_read(actor=viewer, objects=[event], fields=REPORTER_FIELDS, purpose=purpose)
    return {
        "name": shown["name"],
        "phone": shown["phone"],
        "email": email,
        "anonymous": event.anonymous,
        "masked": masked,
    }


def actor_namer(*, viewer: Any, event: Event) -> Callable[[Any], str | None]:
    """How people on the event's record are named to `viewer`: the reporter is masked for the handling side."""
    hidden = hides_reporter(viewer, event)

    def name(person: Any) -> str | None:
        if person is None:
            return None
        if hidden and person.pk == event.reporter_id:
            return mask_name(person.name)
        return str(person.name)

    return name
