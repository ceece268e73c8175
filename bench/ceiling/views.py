"""Ceilings, not the product: what a Django report endpoint can reach on the machine, doing less and less.

Each is served under the same server, middleware, load and database as the product's `POST /api/v1/events`
(`bench_events_api.py --ceiling` runs each in turn; `CEILING_VIEW` picks one):

- `statements`: look the bearer token up, then in one transaction insert an event row, a history row and a signed
  audit row into three narrow tables, commit, and search for duplicates nearby: the report's durable work as
  separate statements, as an ORM would send them (7 round trips). No ORM, no django-ninja, no validation.
- `one`: the same work as a single statement (the token check, the three inserts and the duplicate search as
  data-modifying CTEs of one `WITH … SELECT`): one round trip, atomic by itself.
- `ninja`: no database at all: django-ninja reads and validates the product's report schema and answers with the
  product's answer schema. What the API framework alone costs a report.
"""

import datetime as dt
import hashlib
import hmac
import json
import os

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja import Status as Answer

from grassroots.events.schemas import EventListItemOut, EventReportIn, ReportOut
from grassroots.workflow.endpoints import Payload

from . import VIEWS

_PERSON = """SELECT p.id FROM people_person p JOIN people_apitoken t ON t.person_id = p.id
    WHERE t.key_hash = %s AND t.revoked_at IS NULL AND p.is_active"""
_NEARBY = "SELECT id FROM ceiling_event WHERE lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s LIMIT 20"


def _request(request: HttpRequest) -> tuple[dict, str, dt.datetime, list[float]]:
    body = json.loads(request.body)
    key = request.headers["Authorization"].removeprefix("Bearer ")
    lat, lon = body["lat"], body["lon"]
    box = [lat - 5e-4, lat + 5e-4, lon - 5e-4, lon + 5e-4]
    return body, hashlib.sha256(key.encode()).hexdigest(), timezone.now(), box


def _signature(*parts: object) -> str:
    return hmac.new(b"bench", " ".join(map(str, parts)).encode(), hashlib.sha256).hexdigest()


def _created(event_id: int, duplicates: list[int]) -> JsonResponse:
    return JsonResponse({"created": True, "id": event_id, "possible_duplicates": duplicates}, status=201)


@csrf_exempt
def report_statements(request: HttpRequest) -> JsonResponse:
    body, key_hash, now, box = _request(request)
    with connection.cursor() as cursor:
        cursor.execute(_PERSON, [key_hash])
        if cursor.fetchone() is None:
            return JsonResponse({"code": "unauthenticated"}, status=401)
        with transaction.atomic():
            cursor.execute(
                "INSERT INTO ceiling_event (payload, at, lon, lat) VALUES (%s, %s, %s, %s) RETURNING id",
                [json.dumps(body), now, body["lon"], body["lat"]],
            )
            event_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO ceiling_history (event_id, at, data) VALUES (%s, %s, %s)", [event_id, now, "{}"]
            )
            cursor.execute(
                "INSERT INTO ceiling_audit (event_id, at, signature) VALUES (%s, %s, %s)",
                [event_id, now, _signature(event_id, now)],
            )
        cursor.execute(_NEARBY, box)
        duplicates = [row[0] for row in cursor.fetchall()]
    return _created(event_id, duplicates)


_ONE = f"""
WITH who AS ({_PERSON}),
ev AS (INSERT INTO ceiling_event (payload, at, lon, lat) SELECT %s, %s, %s, %s FROM who RETURNING id),
hi AS (INSERT INTO ceiling_history (event_id, at, data) SELECT id, %s, '{{}}' FROM ev),
au AS (INSERT INTO ceiling_audit (event_id, at, signature) SELECT id, %s, %s FROM ev)
SELECT (SELECT id FROM ev), ARRAY({_NEARBY})
"""


@csrf_exempt
def report_one(request: HttpRequest) -> JsonResponse:
    body, key_hash, now, box = _request(request)
    with connection.cursor() as cursor:
        payload = [json.dumps(body), now, body["lon"], body["lat"], now, now, _signature(now, body["lon"])]
        cursor.execute(_ONE, [key_hash, *payload, *box])
        event_id, duplicates = cursor.fetchone()
    if event_id is None:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    return _created(event_id, duplicates)


api = NinjaAPI(urls_namespace="ceiling")


@api.post("/events", response={201: ReportOut})
def report_ninja(request: HttpRequest, payload: Payload[EventReportIn]) -> Answer[ReportOut]:
    now = timezone.now()
    event = EventListItemOut(
        id=1,
        number="ZF0101-20261121-000001",
        title=payload.title,
        status="reported",
        status_label="已上报",
        source=payload.source or "patrol",
        event_type=payload.event_type,
        event_type_name="",
        platform="",
        level=3,
        mode="",
        urgency=payload.urgency,
        address=payload.address,
        grid=None,
        village=None,
        township=None,
        holder_unit=None,
        reported_at=now,
        stage_started_at=now,
        warn_at=now,
        deadline=now,
        light="green",
        overdue=False,
        joint=False,
        extended=False,
        rework_count=0,
        return_count=0,
        version=1,
    )
    return Answer(201, ReportOut(created=True, event=event, possible_duplicates=[]))


def chosen() -> str:
    view = os.environ.get("CEILING_VIEW", "statements")
    if view not in VIEWS:
        raise ValueError(f"CEILING_VIEW must be one of {VIEWS}")
    return view
