"""The fault test: events filed through the API while PostgreSQL restarts and the server and the timer worker are
killed; afterwards every acknowledged event exists once with its whole history, and no deadline was missed or acted
on twice. Exits 1 on any loss or duplicate.

Its own PostgreSQL cluster (initdb in a temporary directory, on a free port), so restarting it disturbs nobody. The
demo district, a token for the grid worker, then seeded events (type ZF0102, level-1 limit 0.1 natural days, reported
in the past) whose warnings and escalations fall due while the run goes on. N client processes POST /api/v1/events
with an Idempotency-Key each and retry the same key on connection errors, 5xx and timeouts until it is acknowledged
(2xx); every acknowledged key and id is logged. Faults take turns at even intervals: `pg_ctl restart -m fast`,
kill -9 of gunicorn's master and workers (started again on the same port), kill -9 of `manage.py run_timers`
(started again). Then the worker catches up, and bench/fault_checks.py checks the database; `audit_verify` last.

    .venv/bin/python bench/fault_test.py [--seconds 60] [--clients 4] [--workers 3] [--faults 6] [--seeds 100]
        [--grace 120] [--keep]
"""

import argparse
import http.client
import json
import multiprocessing as mp
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from harness import PY, ROOT, kill_hard, manage, pg_cluster, prepare, shell, start_gunicorn, wait_ready
from loadgen import request_for

LOAD_TYPE = "ZF0101"
SETUP = """
import json
from grassroots.demo.district import build_demo_district
from grassroots.events.models import Event
from grassroots.geo.index import grid_index
from grassroots.geo.models import Grid
from grassroots.people.models import Person
from grassroots.people.services import api_token_create
build_demo_district(seed=2026, size=1)
worker = Person.objects.get(username="gridworker")
_, key = api_token_create(actor=None, person=worker, name="fault")
points = [list(p) for p in Grid.objects.values_list("label_lon", "label_lat")]
first = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
print("SETUP" + json.dumps({"token": key, "bounds": list(grid_index().bounds), "points": points, "first_id": first}))
"""
# Seeds: half warn during the run (their 80% point falls in it), half fall due and escalate to the village. The
# limit is the smallest a type can hold (0.1 natural days), so the clocks are placed by backdating the report.
SEED = """
import datetime as dt, json, random
from decimal import Decimal
from django.utils import timezone
from grassroots.events.models import EventType, TimeLimit
from grassroots.events.services import event_report
from grassroots.people.models import Person
from grassroots.workcal.choices import LimitUnit
t0, seconds, n = dt.datetime.fromisoformat("{t0}"), {seconds}, {n}
kind = EventType.objects.get(code="ZF0102")
TimeLimit.objects.update_or_create(event_type=kind, level=1, defaults=dict(amount=Decimal("0.1"), unit=LimitUnit.NATURAL_DAYS))
limit = dt.timedelta(days=0.1)
worker = Person.objects.get(username="gridworker")
rng = random.Random(19)
seeds = []
for i in range(2 * n):
    group = "warn" if i % 2 else "escalate"
    due = t0 + dt.timedelta(seconds=rng.uniform(0, seconds))
    reported = due - (limit * 0.8 if group == "warn" else limit)
    result = event_report(actor=worker, event_type=kind, source="patrol", title="时限测试", address="网格内",
                          reported_at=reported)
    seeds.append({{"id": result.event.pk, "group": group, "due": due.isoformat()}})
print("SEEDS" + json.dumps(seeds))
"""
DUE = """
from datetime import timedelta
from django.utils import timezone
from grassroots.events.models import Event
from grassroots.events.services.timers import CLOCKED
at = timezone.now() - timedelta(seconds=2)
due = Event.objects.filter(status__in=CLOCKED)
print("DUE%d" % (due.filter(deadline__lte=at, overdue=False).count() + due.filter(warn_at__lte=at, warned=False).count()))
"""


def client(
    port: int, setup: dict, stop_at: float, grace: float, log_path: str, seed: int, q: mp.Queue
) -> None:
    """POST events until `stop_at`; each key is retried until acknowledged (or `grace` seconds past the end)."""
    rng = random.Random(f"{seed}-{uuid.uuid4()}")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    counts = {"acked": 0, "replayed": 0, "retries": 0, "refused": 0, "abandoned": 0}
    statuses: dict[str, int] = {}
    with open(log_path, "a") as log:
        while time.time() < stop_at:
            path, body, headers = request_for(
                "events", rng, setup["token"], LOAD_TYPE, setup["bounds"], setup["points"]
            )
            key = json.loads(body)["idempotency_key"]
            headers["Idempotency-Key"] = key
            while True:
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    status, data = response.status, response.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    status, data = 0, b""
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if 200 <= status < 300:
                    log.write(f"{key} {json.loads(data)['event']['id']} {status}\n")
                    log.flush()
                    counts["acked"] += 1
                    counts["replayed"] += status == 200
                    break
                if 0 < status < 500:
                    counts["refused"] += (
                        1  # a 4xx is the client's fault: not retried, not counted as acknowledged
                    )
                    break
                if time.time() > stop_at + grace:
                    counts["abandoned"] += 1
                    break
                counts["retries"] += 1
                time.sleep(0.1)
    q.put({**counts, "statuses": statuses})


class Processes:
    """The product's processes, each restartable: gunicorn on a fixed port, and the timer worker."""

    def __init__(self, env: dict[str, str], workers: int, workdir: Path) -> None:
        self.env, self.workers, self.workdir = env, workers, workdir
        self.server, self.port = start_gunicorn(env, workers, log=workdir / "gunicorn.log")
        self.timers = self._start_timers()

    def _start_timers(self) -> subprocess.Popen:
        log = open(self.workdir / "timers.log", "a")  # noqa: SIM115 (the worker's own log, open while it runs)
        return subprocess.Popen(
            [PY, "manage.py", "run_timers", "--interval", "1", "-v", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )

    def kill_server(self) -> None:
        """Kill and start again without waiting for it: the clients find out when it answers (the next fault keeps
        its time however slowly the server starts)."""
        kill_hard(self.server)
        self.server, _ = start_gunicorn(
            self.env, self.workers, port=self.port, log=self.workdir / "gunicorn.log", wait=False
        )

    def kill_timers(self) -> None:
        kill_hard(self.timers)
        self.timers = self._start_timers()

    def stop(self) -> None:
        for process in (self.timers, self.server):
            process.terminate()
            process.wait()


def run(args: argparse.Namespace, workdir: Path) -> int:
    with pg_cluster(workdir) as pg:
        env, _ = prepare("postgres", workdir, pg_db="grassroots_fault", pg_admin=pg.url("postgres"))
        setup = json.loads(shell(env, SETUP, "SETUP"))
        manage(env, "run_timers", "--once", "-v", "0")  # the demo's own backlog, before the clock starts
        procs = Processes(env, args.workers, workdir)
        t0 = time.time() + 20  # after the seeding
        seed_code = SEED.format(
            t0=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t0)), seconds=args.seconds, n=args.seeds
        )
        seeds = shell(env, seed_code, "SEEDS")
        (workdir / "seeds.json").write_text(seeds)
        acked = workdir / "acked.log"
        q: mp.Queue = mp.Queue()
        time.sleep(max(0.0, t0 - time.time()))
        start = time.time()  # later than t0 if the seeding took longer: the load still runs for its seconds
        stop_at = start + args.seconds
        clients = [
            mp.Process(target=client, args=(procs.port, setup, stop_at, args.grace, str(acked), i, q))
            for i in range(args.clients)
        ]
        for p in clients:
            p.start()
        faults = {"database": pg.restart, "server": procs.kill_server, "timer worker": procs.kill_timers}
        done: dict[str, int] = dict.fromkeys(faults, 0)
        for i in range(args.faults):
            time.sleep(max(0.0, start + args.seconds * (i + 1) / (args.faults + 1) - time.time()))
            name = list(faults)[i % len(faults)]
            started = time.time()
            faults[name]()
            done[name] += 1
            print(
                f"{time.time() - start:6.1f} s  restarted the {name} ({time.time() - started:.1f} s)",
                flush=True,
            )
        counts = [q.get() for _ in clients]
        for p in clients:
            p.join()
        elapsed = time.time() - start
        wait_ready(procs.port)
        quiet = catch_up(env)
        cutoff = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 5))
        procs.stop()
        checks = json.loads(
            shell(
                {
                    **env,
                    "FAULT_ACKED": str(acked),
                    "FAULT_FIRST_ID": str(setup["first_id"]),
                    "FAULT_SEEDS": str(workdir / "seeds.json"),
                    "FAULT_CUTOFF": cutoff,
                },
                "import sys; sys.path.insert(0, 'bench'); from fault_checks import main; main()",
                "CHECKS",
            )
        )
        verify = subprocess.run(
            [PY, "manage.py", "audit_verify"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    return report(args, elapsed, counts, done, quiet, checks, verify)


def catch_up(env: dict[str, str], timeout: float = 180) -> bool:
    """Wait until the (restarted) timer worker has acted on everything due."""
    end = time.time() + timeout
    while time.time() < end:
        if int(shell(env, DUE, "DUE")) == 0:
            return True
        time.sleep(2)
    return False


def report(
    args: argparse.Namespace,
    elapsed: float,
    counts: list[dict],
    done: dict[str, int],
    quiet: bool,
    checks: dict,
    verify: subprocess.CompletedProcess,
) -> int:
    keys, histories, seeds, clocks = checks["keys"], checks["histories"], checks["seeds"], checks["clocks"]
    total = {k: sum(c[k] for c in counts) for k in counts[0] if k != "statuses"}
    statuses: dict[str, int] = {}
    for c in counts:
        for status, n in c["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    print(
        f"{args.clients} clients, {args.seconds:.0f} s ({elapsed:.0f} s with the last retries): "
        f"{keys['acknowledged'] / args.seconds:.1f} events/s held"
    )
    print(
        f"acknowledged {keys['acknowledged']}  found {keys['found']}  duplicates {keys['duplicates']}  "
        f"lost {keys['lost']}  unacknowledged {keys['unacknowledged']}  "
        f"(retries {total['retries']}, answered as replays {total['replayed']}, refused {total['refused']}, "
        f"abandoned {total['abandoned']}); answers {statuses} (0: no answer)"
    )
    print("restarts done: " + ", ".join(f"{name} {n}" for name, n in done.items()))
    print(
        f"histories: {histories['events']} events, broken {histories['history_broken']}, "
        f"audit rows missing {histories['audit_missing']}, flags doubled {histories['flags_doubled']}"
    )
    print(
        f"timers: {seeds['seeds']} seeded clocks, {seeds['timer_steps']} timer steps, lost {seeds['timer_lost']}, "
        f"doubled {seeds['timer_doubled']}, unexpected {seeds['timer_unexpected']}; notices {seeds['notices']}, "
        f"lost {seeds['notices_lost']}, doubled {seeds['notices_doubled']}; past due unflagged "
        f"{clocks['unflagged_overdue']} overdue, {clocks['unflagged_warning']} warnings; caught up {quiet}"
    )
    print(f"audit_verify: {'passed' if verify.returncode == 0 else verify.stderr.strip()[:300]}")
    failures = [
        int(keys["acknowledged"] == 0),
        keys["lost"],
        keys["duplicates"],
        keys["unacknowledged"],
        total["abandoned"],
        histories["history_broken"],
        histories["audit_missing"],
        histories["flags_doubled"],
        seeds["timer_lost"],
        seeds["timer_doubled"],
        seeds["timer_unexpected"],
        seeds["notices_lost"],
        seeds["notices_doubled"],
        clocks["unflagged_overdue"],
        clocks["unflagged_warning"],
        int(not quiet),
        verify.returncode,
    ]
    if any(failures):
        print("FAILED: " + json.dumps({k: checks[k]["examples"] for k in ("keys", "histories", "seeds")}))
        return 1
    print("passed: nothing lost, nothing doubled")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--faults", type=int, default=6, help="restarts, taking turns: database, server, worker"
    )
    parser.add_argument("--seeds", type=int, default=100, help="seeded clocks of each kind (warn, escalate)")
    parser.add_argument(
        "--grace", type=float, default=120, help="seconds past the end a key is still retried"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fault-"))
    try:
        sys.exit(run(args, workdir))
    finally:
        if args.keep:
            print(f"work directory: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
