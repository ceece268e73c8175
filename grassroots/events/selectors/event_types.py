"""The type catalogue as reads: one type by code (memoised) and the active types as a tree."""

from grassroots.core.refcache import reference_cached

from ..models import EventType, TimeLimit


@reference_cached(EventType, TimeLimit)
def event_type_by_code(code: str) -> EventType | None:
    """The version of this type in force now, active or not: the one a new event takes (read on every
    report, so memoised per process; a version published for a later moment shows within the memo's ttl)."""
    found: EventType | None = EventType.objects.in_force().filter(code=code).first()
    return found


def event_types_tree() -> list[tuple[EventType, list[EventType]]]:
    """Active major classes with their active subclasses, the versions in force, in code order (two queries)."""
    types = list(
        EventType.objects.in_force()
        .filter(is_active=True)
        .select_related("parent")
        .prefetch_related("limits")
        .order_by("code")
    )
    children: dict[str, list[EventType]] = {}  # by the class's code: a subclass may name an older version
    for t in types:
        if t.parent is not None:
            children.setdefault(t.parent.code, []).append(t)
    return [(t, children.get(t.code, [])) for t in types if t.parent_id is None]
