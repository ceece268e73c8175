"""Per-process memos of reference rows that change rarely (event types, units) but are read on every report.

    @reference_cached(Unit)
    def command_room_of(township_id: int) -> Unit | None: ...

A memo forgets everything when a row of one of its models is saved or deleted in this process (and again when that
transaction commits, so other threads do not keep what it made stale), and after `ttl` seconds in any case, so a
change made by another process, or a row read inside a transaction that later rolled back, shows within `ttl`.
`QuerySet.update()` and `bulk_create()` send no signal: call `reference_caches_clear()` after one that matters at
once. Cached objects are shared between requests: read them, never change them.
"""

import functools
import threading
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_TTL = 30.0

_memos: list["_Memo"] = []


class _Memo:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.values: dict[Any, Any] = {}
        self.born = time.monotonic()
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.values = {}
            self.born = time.monotonic()

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        if time.monotonic() - self.born > self.ttl:
            self.clear()
        values = self.values
        try:
            return values[key]
        except KeyError:
            value = values[key] = load()
            return value


def reference_cached(
    *watched: type[models.Model], ttl: float = DEFAULT_TTL
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Memoise a function of hashable arguments over rows of `watched` models (see the module's notes)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        memo = _Memo(ttl)
        _memos.append(memo)

        def forget(**kwargs: Any) -> None:
            memo.clear()
            transaction.on_commit(memo.clear)

        for model in watched:
            uid = f"refcache.{fn.__module__}.{fn.__qualname__}.{model._meta.label}"
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=uid + ".save")
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=uid + ".delete")

        @functools.wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            return memo.get(key, lambda: fn(*args, **kwargs))

        cached.cache_clear = memo.clear  # type: ignore[attr-defined]
        return cached

    return decorate


def reference_caches_clear() -> None:
    """Forget every memo (tests between cases; after a bulk `update()` of reference rows)."""
    for memo in _memos:
        memo.clear()
