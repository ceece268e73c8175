"""How long a login answer takes by path (right, wrong, unknown, locked account, locked address), with the real
password hasher (argon2): the medians should agree within noise, so the time tells nothing about the account.

Runs on a fresh in-memory SQLite database: `.venv/bin/python bench/bench_login_timing.py [--rounds N]`.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.pop("FAST_PASSWORD_HASHER", None)
django.setup()

from django.contrib.auth import authenticate  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from grassroots.people import throttle  # noqa: E402
from grassroots.people.models import Person  # noqa: E402

PASSWORD = "correct-horse-battery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    Person.objects.create_user(username="hana", password=PASSWORD, name="韩梅", role="operator")
    Person.objects.create_user(
        username="lock",
        password=PASSWORD,
        name="林锁",
        role="operator",
        locked_until=timezone.now() + dt.timedelta(days=1),
    )
    paths = {
        "right password": ("hana", PASSWORD, "10.0.0.1"),
        "wrong password": ("hana", "wrong-password", "10.1.0.{}"),
        "unknown account": ("nobody", PASSWORD, "10.2.0.{}"),
        "locked account": ("lock", PASSWORD, "10.0.0.1"),
        "locked address": ("hana", PASSWORD, "10.0.0.3"),
    }
    # Wrong passwords and unknown names come from a new address each round, so only 10.0.0.3 is locked.
    with override_settings(LOGIN_MAX_FAILURES=10**6, AUTH_ADDRESS_MAX_FAILURES=2):
        throttle.failure_count([throttle.address_key("10.0.0.3")] * 2)
        times: dict[str, list[float]] = {label: [] for label in paths}
        for n in range(rounds):
            for label, (username, password, address) in paths.items():
                request = RequestFactory().post("/login/", REMOTE_ADDR=address.format(n))
                start = time.perf_counter()
                authenticate(request, username=username, password=password)
                times[label].append(time.perf_counter() - start)
    for label, samples in times.items():
        print(f"{label:<16} median {statistics.median(samples) * 1000:7.1f} ms  (n={len(samples)})")


if __name__ == "__main__":
    main()
