"""How long a 双随机 draw takes: 200 targets from 10,000 entities and 100 inspectors, against the 1 s target.

Times what freeze and draw compute (canonical pools, both SHA-256 digests, the seed commitment, the algorithm) and
what verify_draw recomputes; no database. Run with `.venv/bin/python bench/bench_draws.py [--repeat N]`.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grassroots.draws.algorithm import (
    DrawInputs,
    canonical_inspectors,
    canonical_targets,
    pool_digest,
    run_draw,
    seed_commitment,
    target_key,
)

TARGET_SECONDS = 1.0
KIND = "market.entity"


def world(rng: random.Random) -> tuple[list[dict], list[dict], DrawInputs]:
    # 10,000 entities: 8,000 A, 1,500 B, 400 C, 100 D; rates chosen so exactly 200 are drawn
    # (A 0.5% → 40, B 4% → 60, C 12.5% → 50, D 50% → 50).
    sizes = {"A": 8000, "B": 1500, "C": 400, "D": 100}
    rates = {"A": "0.005", "B": "0.04", "C": "0.125", "D": "0.5"}
    targets = [
        {"id": f"91330421{risk}{i:08d}", "kind": KIND, "risk": risk, "label": f"嘉善县西塘镇{risk}{i}号商行"}
        for risk, n in sizes.items()
        for i in range(n)
    ]
    keys = [target_key(KIND, t["id"]) for t in targets]
    inspectors = []
    for n in range(100):
        inspectors.append(
            {
                "id": str(n + 1),
                "name": f"执法人员{n + 1}",
                "certificate_no": f"3304211{n:05d}",
                "valid_to": "2025-06-30" if n % 10 == 0 else "2029-12-31",  # 10 expired
                "unit": str(1 + n % 4),
                "relations": rng.sample(keys, 20),  # 2,000 declared relations
            }
        )
    previous = {k: rng.sample([str(i) for i in range(1, 101)], 2) for k in rng.sample(keys, 3000)}
    inputs = DrawInputs(rates=rates, per_target=2, draw_date="2026-12-07", previous=previous, covered=[])
    return targets, inspectors, inputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    targets, inspectors, inputs = world(random.Random(2026))
    times = []
    for n in range(args.repeat):
        seed = f"{n:064x}"
        start = time.perf_counter()
        t_rows = canonical_targets(targets)
        i_rows = canonical_inspectors(inspectors)
        digests = (pool_digest(t_rows), pool_digest(i_rows), seed_commitment(seed))
        result = run_draw(seed=seed, targets=t_rows, inspectors=i_rows, inputs=inputs)
        times.append(time.perf_counter() - start)
        drawn = len(result["targets"]) + len(result["unassigned"])
        assert drawn == 200 and all(len(d) == 64 for d in digests), drawn
    best, median = min(times), statistics.median(times)
    print("200 targets from 10,000 entities and 100 inspectors (10 expired, 2,000 relations, 3,000 previous)")
    print(f"freeze + draw, median of {args.repeat}: {median * 1000:.1f} ms (best {best * 1000:.1f} ms)")
    print(
        f"ratio to the {TARGET_SECONDS:.0f} s target: {median / TARGET_SECONDS:.3f} ({TARGET_SECONDS / median:.1f}× faster)"
    )


if __name__ == "__main__":
    main()
