"""Good examples in the current demo database, by purpose: the records a page is best shown with.

`manage.py screenshots` fills its `{placeholders}` from `EXAMPLES`; each function answers an id, or None when the
database holds no suitable record. The demo knows its users and what its data contains, so this is its question.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Count

from grassroots.events.choices import ACTIVE_ASSIGNMENT, OPEN_STATUSES, Source, Status
from grassroots.events.models import Event
from grassroots.events.permissions import visible_to
from grassroots.mobile.selectors import my_reports, worker_tasks
from grassroots.people.models import Person

# Where citizens' reports come from: the ones the command room sends a grid worker to verify on site.
CITIZEN_SOURCES = (Source.PHONE, Source.ONLINE, Source.OPEN311, Source.HOTLINE_12345)


def _visible(username: str) -> Any:
    person = Person.objects.filter(username=username).first()
    if person is None:
        return None
    return visible_to(person)


def _richest(events: Any) -> int | None:
    """The event with the longest history (and photos), for a page that shows everything."""
    if events is None:
        return None
    best = (
        events.annotate(steps=Count("transitions", distinct=True), files=Count("attachments", distinct=True))
        .order_by("-files", "-steps", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return int(best) if best is not None else None


def operator_event() -> int | None:
    events = _visible("operator")
    return _richest(events.filter(status__in=OPEN_STATUSES) if events is not None else None)


def operator_photo_event() -> int | None:
    events = _visible("operator")
    return _richest(events.filter(attachments__isnull=False) if events is not None else None)


def gridworker_event() -> int | None:
    """An event in the grid worker's grid: the event page as they open it from a notification."""
    return _richest(_visible("gridworker"))


def registered_event() -> int | None:
    events = _visible("dispatcher")
    return _richest(events.filter(status=Status.REGISTERED) if events is not None else None)


def dept_event() -> int | None:
    person = Person.objects.filter(username="dept").first()
    if person is None or person.unit_id is None:
        return None
    return _richest(
        Event.objects.filter(assignments__unit_id=person.unit_id, assignments__status__in=ACTIVE_ASSIGNMENT)
    )


def gridworker_task() -> int | None:
    person = Person.objects.filter(username="gridworker").first()
    if person is None:
        return None
    task = worker_tasks(person).values_list("pk", flat=True).first()
    return int(task) if task is not None else None


def citizen_report() -> int | None:
    """A citizen's report waiting for on-site verification (派员核实) in the operator's township."""
    events = _visible("operator")
    if events is None:
        return None
    found = events.filter(status=Status.REPORTED, source__in=CITIZEN_SOURCES).first()
    return found.pk if found is not None else None


def extension_event() -> int | None:
    """An event with an extension request: the request reads in whole working days."""
    events = _visible("shiftlead")
    if events is None:
        return None
    found = events.filter(extension_requests__isnull=False).order_by("-id").first()
    return found.pk if found is not None else None


def gridworker_report() -> int | None:
    """The grid worker's own report with the longest history: the phone's report page."""
    person = Person.objects.filter(username="gridworker").first()
    if person is None:
        return None
    return _richest(my_reports(person))


EXAMPLES: dict[str, Callable[[], int | str | None]] = {
    "operator_event": operator_event,
    "operator_photo_event": operator_photo_event,
    "gridworker_event": gridworker_event,
    "registered_event": registered_event,
    "dept_event": dept_event,
    "gridworker_task": gridworker_task,
    "citizen_report": citizen_report,
    "extension_event": extension_event,
    "gridworker_report": gridworker_report,
}
