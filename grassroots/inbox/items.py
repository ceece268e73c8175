"""Work waiting for a person (待办), shown above the notifications of the inbox page: each workflow that keeps
items for a person to finish registers how to read them (`register_work_items`, from its AppConfig.ready), so the
inbox links to them without knowing the workflows. An overdue item is shown red."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    kind: str  # what it is, to a person: 督办事项
    text: str
    url: str
    light: str  # green / yellow / red (overdue)
    due_at: dt.datetime | None = None
    note: str = ""  # beside the text: the light's words, the meeting it came from


_providers: dict[str, Callable[[Any], list[WorkItem]]] = {}


def register_work_items(name: str, provider: Callable[[Any], list[WorkItem]]) -> None:
    """`provider(person)` → the person's open items; registering again replaces it."""
    _providers[name] = provider


def unregister_work_items(name: str) -> None:
    _providers.pop(name, None)


def work_items_of(person: Any) -> list[WorkItem]:
    """Everyone's providers' items for `person`: red first, then by due time."""
    items = [item for provider in _providers.values() for item in provider(person)]
    rank = {"red": 0, "yellow": 1, "green": 2}
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (rank.get(i.light, 3), i.due_at or far))
