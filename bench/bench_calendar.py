"""How many deadlines per second the working calendar computes, against the 500k/s target (no pass/fail).

Bulk recomputation (a holiday override changes every open deadline) is what needs the speed; run with
`.venv/bin/python bench/bench_calendar.py [--batch N] [--scalar N] [--days N]`.
"""

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from grassroots.workcal.calendar import (  # noqa: E402
    SHANGHAI,
    from_epoch_seconds,
    get_calendar,
    to_epoch_seconds,
)
from grassroots.workcal.choices import LimitUnit  # noqa: E402

TARGET_PER_SECOND = 500_000


def report(label: str, count: int, seconds: float) -> None:
    rate = count / seconds
    print(
        f"{label:<48} {count:>10,} in {seconds:7.3f} s = {rate:>11,.0f}/s  "
        f"({rate / TARGET_PER_SECOND:5.2f}× target)"
    )


def random_starts_2026(*, count: int, seed: int) -> np.ndarray:
    low = to_epoch_seconds(datetime(2026, 1, 1, tzinfo=SHANGHAI))
    high = to_epoch_seconds(datetime(2027, 1, 1, tzinfo=SHANGHAI))
    return np.random.default_rng(seed).integers(low, high, size=count, dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=1_000_000, help="starts for the batch API")
    parser.add_argument("--scalar", type=int, default=200_000, help="starts for the scalar API")
    parser.add_argument("--days", type=int, default=5, help="the limit, in working days")
    args = parser.parse_args()

    started = time.perf_counter()
    calendar = get_calendar()
    print(f"{calendar!r}, built in {time.perf_counter() - started:.3f} s (database + chinesecalendar)")
    print(f"limit: {args.days} working days from random moments in 2026; target {TARGET_PER_SECOND:,}/s\n")

    epochs = random_starts_2026(count=args.batch, seed=1)
    calendar.add_many(epochs[:1000], args.days, unit=LimitUnit.WORKING_DAYS)  # warm up
    started = time.perf_counter()
    batch = calendar.add_many(epochs, args.days, unit=LimitUnit.WORKING_DAYS)
    report("batch API, epoch seconds in and out", len(epochs), time.perf_counter() - started)

    moments = [from_epoch_seconds(int(epoch)) for epoch in epochs[: args.scalar]]
    started = time.perf_counter()
    deadlines = [
        from_epoch_seconds(int(e)) for e in calendar.add_many(moments, args.days, unit=LimitUnit.WORKING_DAYS)
    ]
    report("batch API, datetimes in and out", len(moments), time.perf_counter() - started)

    started = time.perf_counter()
    scalar = [calendar.add(moment, args.days, unit=LimitUnit.WORKING_DAYS) for moment in moments]
    report("scalar API, calendar.add() per datetime", len(moments), time.perf_counter() - started)

    seconds = args.days * calendar.day_seconds
    started = time.perf_counter()
    for moment in moments:
        calendar.add_working_seconds(moment, seconds)
    report("scalar API, add_working_seconds() per datetime", len(moments), time.perf_counter() - started)

    agree = scalar == deadlines and all(
        from_epoch_seconds(int(e)) == d for e, d in zip(batch, scalar, strict=False)
    )
    print(f"\nbatch and scalar results agree: {agree}")


if __name__ == "__main__":
    main()
