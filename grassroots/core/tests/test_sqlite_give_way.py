"""A batch of back-to-back SQLite write transactions gives way to other writers between its transactions.

Real processes on a database file of their own: a "batch" that holds the write lock 150 ms at a time, and a writer
that times its own short transactions meanwhile. Without giving way, the writer's polls keep missing the moments
between the batch's transactions; with it, a writer waits for about one batch transaction.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

SETUP = """
import sys, time, json
import django
from django.conf import settings
settings.configure(
    DATABASES={"default": {
        "ENGINE": "grassroots.core.sqlite", "NAME": sys.argv[1],
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
give_way = sys.argv[2] == "1"
end = time.monotonic() + float(sys.argv[3])
open(sys.argv[1] + ".ready", "w").close()
while time.monotonic() < end:
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO t (who) VALUES ('batch')")
        time.sleep(0.15)
    if give_way:
        connection.yield_to_writers()
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


def _longest_wait(tmp_path: Path, *, give_way: bool) -> float:
    db = tmp_path / f"give-way-{int(give_way)}.sqlite3"
    batch = subprocess.Popen([sys.executable, "-c", BATCH, str(db), "1" if give_way else "0", "4"])
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
        )
    finally:
        batch.wait(timeout=60)
    return max(json.loads(out.stdout))


@pytest.mark.skipif("sqlite" not in __import__("django.db").db.connection.vendor, reason="SQLite only")
def test_a_batch_that_gives_way_keeps_other_writers_waiting_one_transaction_at_most(tmp_path: Path) -> None:
    polite = _longest_wait(tmp_path, give_way=True)
    greedy = _longest_wait(tmp_path, give_way=False)

    assert polite < 0.6, f"a writer waited {polite:.2f} s beside a batch that gives way"
    assert greedy > polite, f"without giving way a writer waited {greedy:.2f} s, with it {polite:.2f} s"
