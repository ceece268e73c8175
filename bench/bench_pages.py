"""Page response times on a district-year database (the one bench_assessment.py builds on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grassroots_bench_assessment .venv/bin/python bench/bench_pages.py

Prints time and query count for the command queue and the overview as an operator and as the district centre.
"""

import os
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grassroots_bench_assessment")
import django

django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.events.models import Event
from grassroots.people.choices import Role
from grassroots.people.models import Person

print("events", Event.objects.count())
for role in (Role.OPERATOR, Role.CENTRE_OPERATOR):
    p = Person.objects.filter(role=role, is_active=True).first()
    if p is None:
        print("no", role)
        continue
    c = Client()
    c.force_login(p)
    for path in ("/command/", "/command/?light=red", "/dashboard/", "/command/desk/"):
        c.get(path)
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            r = c.get(path)
        print(
            f"{role:16} {path:22} {r.status_code} {(time.perf_counter() - t) * 1000:7.0f} ms  {len(q.captured_queries)} queries"
        )
