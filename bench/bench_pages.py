"""Page response times on a district-year database (the one bench_assessment.py builds on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grassroots_bench_assessment .venv/bin/python bench/bench_pages.py

Prints time and query count for the command queue and the overview as an operator and as the district centre.
"""

import os
import time

import django

PATHS = ("/command/", "/command/?light=red", "/dashboard/")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grassroots_bench_assessment")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.events.models import Event
    from grassroots.people.choices import Role
    from grassroots.people.models import Person

    print("events", Event.objects.count())
    for role in (Role.OPERATOR, Role.CENTRE_OPERATOR):
        person = Person.objects.filter(role=role, is_active=True).first()
        if person is None:
            print("no login with role", role)
            continue
        client = Client()
        client.force_login(person)
        for path in PATHS:
            client.get(path)  # warm
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{role:16} {path:22} {response.status_code} {elapsed:7.0f} ms  {len(queries.captured_queries)} queries"
            )


if __name__ == "__main__":
    main()
