"""SQLite, as Django ships it, plus a way for a long batch of writes to let everyone else go first.

SQLite has one writer at a time, and a writer that finds the database busy polls for it, sleeping up to 100 ms
between tries. A process that writes in a loop (the demo history built beside the web server, say) frees the lock
for only a moment between its transactions, and the pollers keep missing that moment: pages waited seconds.

So every write transaction also holds a shared lock on a file beside the database (`<name>-writers.lock`) from
just before its `BEGIN` to its end, which says "someone is writing or waiting to". A batch calls
`connection.yield_to_writers()` between its transactions: it takes that file exclusively, which blocks until no
transaction holds or waits for it, then lets go. Waiters then wait for one batch transaction at most.
"""

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writers_fd: int | None = None

    def _writers_lock(self) -> int | None:
        """This connection's descriptor of the lock file (each its own: flock locks belong to a descriptor)."""
        if self._writers_fd is None and not self.is_in_memory_db():
            try:
                self._writers_fd = os.open(
                    f"{self.settings_dict['NAME']}-writers.lock", os.O_RDWR | os.O_CREAT
                )
            except OSError:
                return None  # a read-only directory: plain SQLite behaviour
        return self._writers_fd

    def _flock(self, operation: int) -> None:
        fd = self._writers_lock()
        if fd is not None:
            fcntl.flock(fd, operation)

    def _start_transaction_under_autocommit(self) -> None:
        self._flock(fcntl.LOCK_SH)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._flock(fcntl.LOCK_UN)
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._flock(fcntl.LOCK_UN)

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._flock(fcntl.LOCK_UN)

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            if self._writers_fd is not None:
                os.close(self._writers_fd)  # releases any lock it held
                self._writers_fd = None

    def yield_to_writers(self) -> None:
        """Between a batch's transactions: wait until no other write transaction holds or waits for the lock."""
        if self.in_atomic_block:
            return  # inside a transaction (a test's, say): its own shared lock would block this forever
        self._flock(fcntl.LOCK_EX)
        self._flock(fcntl.LOCK_UN)
