"""The demo history's rows: which events are the demo's, how they tally by status and detour, and deleting them."""

from collections import Counter

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from grassroots.events.models import (
    Assignment,
    Attachment,
    Event,
    ExtensionRequest,
    SupervisionOrder,
    Transition,
)
from grassroots.notifications.models import Notification

from .names import DISTRICT_CODE


def demo_events() -> QuerySet[Event]:
    return Event.objects.filter(region_code__startswith=DISTRICT_CODE)


def delete_demo_history() -> int:
    """Delete the demo's events and every row hanging off them, dependants first; audit rows stay.

    Photos are removed from storage when no remaining attachment names the same file.
    """
    events = demo_events()
    Notification.objects.filter(event__in=events).delete()
    attachments = Attachment.objects.filter(event__in=events)
    files = sorted(set(attachments.values_list("file", flat=True)))
    attachments.delete()
    SupervisionOrder.objects.filter(event__in=events).delete()
    ExtensionRequest.objects.filter(event__in=events).delete()
    Transition.objects.filter(event__in=events).delete()
    Assignment.objects.filter(event__in=events).delete()
    events.filter(merged_into__isnull=False).update(merged_into=None)
    deleted = events.count()
    events.delete()
    still_used = set(Attachment.objects.filter(file__in=files).values_list("file", flat=True))
    unused = [name for name in files if name and name not in still_used]
    transaction.on_commit(lambda: _delete_files(unused))
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def history_counts() -> dict[str, Counter[str]]:
    """The demo events by status, platform, source and level, and how many took each detour."""
    events = demo_events()
    counts: dict[str, Counter[str]] = {}
    for name in ("status", "platform", "source", "level"):
        rows = events.order_by().values_list(name).annotate(n=Count("pk"))
        counts[name] = Counter({str(value): n for value, n in rows})
    flags = events.aggregate(
        returned=Count("pk", filter=Q(return_count__gt=0)),
        reworked=Count("pk", filter=Q(rework_count__gt=0)),
        extended=Count("pk", filter=Q(extended=True)),
        escalated=Count("pk", filter=Q(escalation_count__gt=0)),
        joint=Count("pk", filter=Q(joint=True)),
        merged=Count("pk", filter=Q(merged_into__isnull=False)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        overdue=Count("pk", filter=Q(overdue=True)),
        warned=Count("pk", filter=Q(warned=True)),
        leader_flagged=Count("pk", filter=Q(leader_flagged=True)),
    )
    transitions = Transition.objects.filter(event__in=events)
    flags["self_handled"] = transitions.filter(action="self_handle").count()
    flags["reached_level_4"] = transitions.filter(level=4).values("event_id").distinct().count()
    flags["transitions"] = transitions.count()
    for kind, n in (
        SupervisionOrder.objects.filter(event__in=events)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    ):
        flags[f"supervision_{kind}"] = n
    counts["flags"] = Counter(flags)
    return counts
