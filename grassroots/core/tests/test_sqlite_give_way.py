"""SQLite writers wait their turn in the kernel's queue, and a batch of writes gives way between its transactions.

Real processes on database files of their own. A "batch" holds the write lock 150 ms at a time, back to back, and
a writer times its own short transactions meanwhile. With Django's own backend the writer polls and keeps missing
the moments between the batch's transactions; with ours it waits about one batch transaction.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SETUP = """
import os, sys, time, json
import django
from django.conf import settings
settings.configure(
    DATABASES={"default": {
        "ENGINE": os.environ["TEST_ENGINE"], "NAME": sys.argv[1],
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
    }},
    USE_TZ=True,
)
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, who TEXT)")
"""

BATCH = (
    SETUP
    + """
give_way = getattr(connection, "yield_to_writers", lambda: None)
end = time.monotonic() + float(sys.argv[2])
open(sys.argv[1] + ".ready", "w").close()
while time.monotonic() < end:
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO t (who) VALUES ('batch')")
        time.sleep(0.15)
    give_way()
"""
)

WRITER = (
    SETUP
    + """
waits = []
for _ in range(int(sys.argv[2])):
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO t (who) VALUES ('writer')")
    waits.append(time.monotonic() - started)
    time.sleep(0.05)
print(json.dumps(waits))
"""
)


def _longest_wait(tmp_path: Path, engine: str) -> float:
    """The longest of a writer's six transactions beside a batch that gives way (where the engine can)."""
    db = tmp_path / f"give-way-{engine}.sqlite3"
    env = {**os.environ, "TEST_ENGINE": engine}
    batch = subprocess.Popen([sys.executable, "-c", BATCH, str(db), "4"], env=env)
    try:
        for _ in range(200):
            if Path(f"{db}.ready").exists():
                break
            time.sleep(0.05)
        out = subprocess.run(
            [sys.executable, "-c", WRITER, str(db), "6"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            env=env,
        )
    finally:
        batch.wait(timeout=60)
    return max(json.loads(out.stdout))


SQLITE_ONLY = pytest.mark.skipif(
    "sqlite" not in __import__("django.db").db.connection.vendor, reason="SQLite only"
)


@SQLITE_ONLY
def test_a_batch_that_gives_way_keeps_other_writers_waiting_one_transaction_at_most(tmp_path: Path) -> None:
    ours = _longest_wait(tmp_path, "grassroots.core.sqlite")
    stock = _longest_wait(tmp_path, "django.db.backends.sqlite3")  # polling, and a batch that cannot give way

    assert ours < 0.6, f"a writer waited {ours:.2f} s beside a batch that gives way"
    assert stock > 1.0, (
        f"with Django's own backend a writer waited only {stock:.2f} s: the test shows nothing"
    )


@SQLITE_ONLY
def test_a_lone_write_in_autocommit_waits_its_turn_in_the_queue(tmp_path: Path) -> None:
    import fcntl

    db = tmp_path / "queue.sqlite3"
    env = {**os.environ, "TEST_ENGINE": "grassroots.core.sqlite"}
    lone_write = (
        SETUP
        + """
with connection.cursor() as c:
    c.execute("INSERT INTO t (who) VALUES ('lone')")
"""
    )
    subprocess.run([sys.executable, "-c", SETUP, str(db)], env=env, check=True, timeout=60)
    with open(f"{db}-queue.lock", "a+") as queue:
        fcntl.flock(queue, fcntl.LOCK_EX)  # someone else's transaction holds the queue
        writer = subprocess.Popen([sys.executable, "-c", lone_write, str(db)], env=env)
        time.sleep(1.5)
        assert writer.poll() is None, "the write went ahead while the queue was held"
        fcntl.flock(queue, fcntl.LOCK_UN)
    assert writer.wait(timeout=60) == 0
