"""SQLite, as Django ships it, with writers queued by the kernel instead of polling, and batches that give way.

SQLite has one writer at a time, and a writer that finds the database busy polls for it, sleeping up to 100 ms
between tries. Under concurrent writes that sleep is the tail of every response (p99 ≈ 150 ms with 8 API clients),
and a process that writes in a loop (the demo history built beside the web server) frees the lock for only a
moment between its transactions: the pollers kept missing it, and pages waited seconds.

So each write transaction (every `atomic` block: they begin with `BEGIN IMMEDIATE`) first takes two locks on files
beside the database, both released when it ends:
- `<name>-writers.lock`, shared: "someone is writing or waiting to". A batch calls
  `connection.yield_to_writers()` between its transactions, which takes this file exclusively, so it waits until
  nobody is writing or waiting;
- `<name>-queue.lock`, exclusive: the writers' queue. A waiter sleeps in the kernel and is woken when the holder
  commits, instead of polling.

A write statement outside `atomic` (a lone `save()` or `update()` in autocommit) takes the same two locks for that
statement. A transaction that never ends holds up the others, as SQLite's own lock does, but without its 20-second
timeout.
"""

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from django.db.backends.sqlite3 import base

# A write statement, matched in place (no copy of the query: every statement made in autocommit is checked).
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class _Cursor(base.SQLiteCursorWrapper):
    """Takes the connection's locks around a write statement made in autocommit (inside `atomic` it holds them)."""

    db: "DatabaseWrapper"

    def _locks_for(self, query: str) -> AbstractContextManager[None]:
        if not self.db.in_atomic_block and self.db.autocommit and _WRITE.match(query):
            return self.db._locked()
        return nullcontext()

    def execute(self, query: str, params: Any = None) -> Any:
        with self._locks_for(query):
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        with self._locks_for(query):
            return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # This connection's descriptors of the lock files: flock locks belong to a descriptor, so each connection
        # (each thread's) has its own.
        self._lock_fds: tuple[int, int] | None = None

    def _locks(self) -> tuple[int, int] | None:
        if self._lock_fds is None and not self.is_in_memory_db():
            name = self.settings_dict["NAME"]
            try:
                writers = os.open(f"{name}-writers.lock", os.O_RDWR | os.O_CREAT)
                queue = os.open(f"{name}-queue.lock", os.O_RDWR | os.O_CREAT)
            except OSError:
                return None  # a read-only directory: plain SQLite behaviour
            self._lock_fds = (writers, queue)
        return self._lock_fds

    def _lock(self) -> None:
        if fds := self._locks():
            fcntl.flock(fds[0], fcntl.LOCK_SH)
            fcntl.flock(fds[1], fcntl.LOCK_EX)

    def _unlock(self) -> None:
        if self._lock_fds:
            fcntl.flock(self._lock_fds[1], fcntl.LOCK_UN)
            fcntl.flock(self._lock_fds[0], fcntl.LOCK_UN)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._lock()
        try:
            yield
        finally:
            self._unlock()

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=_Cursor)
        cursor.db = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        self._lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private: not in the stubs
        except BaseException:
            self._unlock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._unlock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._unlock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private: not in the stubs
        finally:
            if self._lock_fds:
                for fd in self._lock_fds:
                    os.close(fd)  # releases any lock it held
                self._lock_fds = None

    def yield_to_writers(self) -> None:
        """Between a batch's transactions: wait until no other write transaction holds or waits for the lock."""
        if self.in_atomic_block:
            return  # inside a transaction (a test's, say): its own shared lock would block this forever
        if fds := self._locks():
            fcntl.flock(fds[0], fcntl.LOCK_EX)
            fcntl.flock(fds[0], fcntl.LOCK_UN)
