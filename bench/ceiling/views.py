"""A ceiling, not the product: the leanest Django view that does a report's durable work.

Same server, middleware, load and database as the product's `POST /api/v1/events`: look the bearer token up, then in
one transaction insert an event row, a history row and a signed audit row into three narrow tables, commit, and
search for duplicates nearby. No ORM, no django-ninja, no validation, no number, no grid lookup. What it reaches
is about as fast as any Django report endpoint can be on the machine; `bench_events_api.py --ceiling` prints it.
"""

import hashlib
import hmac
import json

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

TABLES = """
CREATE TABLE ceiling_event (id bigserial PRIMARY KEY, payload text, at timestamptz, lon float, lat float);
CREATE INDEX ON ceiling_event (lat, lon);
CREATE TABLE ceiling_history (id bigserial PRIMARY KEY, event_id bigint, at timestamptz, data text);
CREATE INDEX ON ceiling_history (event_id);
CREATE TABLE ceiling_audit (id bigserial PRIMARY KEY, event_id bigint, at timestamptz, signature text);
"""


@csrf_exempt
def report(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    key = request.headers["Authorization"].removeprefix("Bearer ")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM people_person p JOIN people_apitoken t ON t.person_id = p.id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND p.is_active",
            [hashlib.sha256(key.encode()).hexdigest()],
        )
        person = cursor.fetchone()
        if person is None:
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
            signature = hmac.new(b"bench", f"{event_id} {now}".encode(), hashlib.sha256).hexdigest()
            cursor.execute(
                "INSERT INTO ceiling_audit (event_id, at, signature) VALUES (%s, %s, %s)",
                [event_id, now, signature],
            )
        cursor.execute(
            "SELECT id FROM ceiling_event WHERE lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s LIMIT 20",
            [body["lat"] - 5e-4, body["lat"] + 5e-4, body["lon"] - 5e-4, body["lon"] + 5e-4],
        )
        duplicates = [row[0] for row in cursor.fetchall()]
    return JsonResponse({"created": True, "id": event_id, "possible_duplicates": duplicates}, status=201)
