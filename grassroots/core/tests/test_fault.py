"""The fault test (bench/fault_test.py) in small: a few seconds of reports from 2 clients while its own PostgreSQL
cluster restarts once, the server is killed once and the timer worker once; nothing acknowledged is lost or doubled,
and every seeded warning and escalation happened exactly once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HAS_POSTGRES = any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
# It runs its own cluster whatever the suite's database, so once is enough: in the PostgreSQL run of the suite.
IN_POSTGRES_RUN = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.slow
@pytest.mark.skipif(
    not HAS_POSTGRES, reason="needs PostgreSQL's binaries (initdb, pg_ctl) for a throwaway cluster"
)
@pytest.mark.skipif(
    not IN_POSTGRES_RUN, reason="run once, in the suite's PostgreSQL run (it has its own cluster)"
)
def test_nothing_acknowledged_is_lost_or_doubled_while_the_database_server_and_worker_restart():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GRASSROOTS_VAR_DIR"}}
    args = ["--seconds", "10", "--clients", "2", "--workers", "2", "--faults", "3", "--seeds", "5"]
    run = subprocess.run(
        [sys.executable, "bench/fault_test.py", *args, "--grace", "60"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "restarts done: database 1, server 1, timer worker 1" in run.stdout
    assert "duplicates 0  lost 0  unacknowledged 0" in run.stdout
    assert "timers: 10 seeded clocks" in run.stdout and "audit_verify: passed" in run.stdout
