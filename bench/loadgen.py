"""Load generator: N client processes POST events to a running server for a fixed time, print JSON results.

`--target events` posts JSON to the event API (POST /api/v1/events, bearer token); `--target open311` posts
the same report as an Open311 request (POST /open311/v2/requests.json, form-encoded, api_key); `--target helpdesk`
posts it as a django-helpdesk ticket (POST /helpdesk/api/tickets/, JSON, DRF token; `--type` is then the queue's
id). Run by bench_events_api.py and bench_open311.py in its own process, so the server's CPU time and the
generator's are apart.
"""

import argparse
import http.client
import json
import multiprocessing as mp
import random
import time
import urllib.parse
import uuid


def request_for(
    target: str,
    rng: random.Random,
    token: str,
    type_code: str,
    bounds: list[float],
    points: list[list[float]],
) -> tuple[str, str, dict]:
    """Path, body and headers of one report: the same problem, in the event API's shape or Open311's.

    The place is a random point of `bounds`, or near one of `points` when given (e.g. grid label points, so
    every report lands inside a grid).
    """
    if points:
        lon, lat = rng.choice(points)
        lon, lat = lon + rng.uniform(-2e-4, 2e-4), lat + rng.uniform(-2e-4, 2e-4)
    else:
        min_lon, min_lat, max_lon, max_lat = bounds
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
    key = uuid.UUID(int=rng.getrandbits(128)).hex
    if target == "open311":
        body = urllib.parse.urlencode(
            {
                "api_key": token,
                "service_code": type_code,
                "description": "压测：路边有一堆生活垃圾",
                "lat": f"{lat:.6f}",
                "long": f"{lon:.6f}",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key}
        return "/open311/v2/requests.json", body, headers
    if target == "helpdesk":
        # TicketSerializer's writable fields a reporter fills in; the place goes into the text (no such fields).
        ticket = {
            "queue": int(type_code),
            "title": "路边暴露垃圾",
            "description": f"压测：路边有一堆生活垃圾（{lon:.6f}, {lat:.6f}）",
            "submitter_email": f"{key[:12]}@example.com",
            "priority": 3,
        }
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        return "/helpdesk/api/tickets/", json.dumps(ticket), headers
    body = json.dumps(
        {
            "event_type": type_code,
            "source": "patrol",
            "title": "路边暴露垃圾",
            "description": "压测：路边有一堆生活垃圾",
            "lon": lon,
            "lat": lat,
            "idempotency_key": key,
        }
    )
    return "/api/v1/events", body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def client(
    host: str,
    port: int,
    token: str,
    type_code: str,
    bounds: list[float],
    seconds: float,
    seed: int,
    q: mp.Queue,
    target: str = "events",
    points: list[list[float]] | None = None,
) -> None:
    # Fresh keys on every run (a repeated key would be answered as a retry, 200 instead of 201).
    rng = random.Random(f"{seed}-{uuid.uuid4()}")
    conn = http.client.HTTPConnection(host, port, timeout=30)
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        path, body, headers = request_for(target, rng, token, type_code, bounds, points or [])
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
    q.put({"latencies": latencies, "errors": errors, "statuses": statuses})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--token", required=True, help="bearer token (events), api_key (open311) or DRF token (helpdesk)"
    )
    parser.add_argument("--target", choices=["events", "open311", "helpdesk"], default="events")
    parser.add_argument("--type", dest="type_code", required=True)
    parser.add_argument("--bounds", required=True, help="min_lon,min_lat,max_lon,max_lat")
    parser.add_argument(
        "--points", default="", help="a JSON file of [lon, lat] points to report near (optional)"
    )
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    bounds = [float(x) for x in args.bounds.split(",")]
    points = []
    if args.points:
        with open(args.points) as f:
            points = json.load(f)
    q: mp.Queue = mp.Queue()
    procs = [
        mp.Process(
            target=client,
            args=(
                "127.0.0.1",
                args.port,
                args.token,
                args.type_code,
                bounds,
                args.seconds,
                i,
                q,
                args.target,
                points,
            ),
        )
        for i in range(args.clients)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[str(k)] = statuses.get(str(k), 0) + v
    ok = statuses.get("201", 0)

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    print(
        json.dumps(
            {
                "clients": args.clients,
                "seconds": args.seconds,
                "elapsed": elapsed,
                "created": ok,
                "rate": ok / args.seconds,
                "statuses": statuses,
                "errors": sum(r["errors"] for r in results),
                "p50_ms": pct(0.50),
                "p99_ms": pct(0.99),
            }
        )
    )


if __name__ == "__main__":
    main()
