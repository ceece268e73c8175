"""The type catalogue as reads: one type by code (memoised) and the active types as a tree."""

from grassroots.core.refcache import reference_cached

from ..models import EventType, TimeLimit


@reference_cached(EventType, TimeLimit)
def event_type_by_code(code: str) -> EventType | None:
    """The type with this code, active or not (read on every report, so memoised per process)."""
    return EventType.objects.filter(code=code).first()


def event_types_tree() -> list[tuple[EventType, list[EventType]]]:
    """Active major classes with their active subclasses, in code order (two queries)."""
    types = list(EventType.objects.filter(is_active=True).prefetch_related("limits").order_by("code"))
    children: dict[int, list[EventType]] = {}
    for t in types:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    return [(t, children.get(t.pk, [])) for t in types if t.parent_id is None]
