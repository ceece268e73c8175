"""Reporting is the hot path (every grid worker's phone, every integration): its query count is pinned."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.events.tests.api_support import IN_GRID_A
from grassroots.people.services import api_token_create

# The token; the row id (PostgreSQL) or the number written after the insert (SQLite); the event; its history row;
# its audit row; the duplicate search; and the transaction's two statements (a savepoint inside the test's own
# transaction, BEGIN/COMMIT outside it). Raise it only with a reason.
MAX_QUERIES = 8


def _report(client: Client, key: str, **place: float) -> dict:
    body = {"event_type": "ZF0103", "title": "河边私搭简易棚", "idempotency_key": key, **IN_GRID_A, **place}
    response = client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_a_report_takes_a_fixed_handful_of_queries_however_many_came_before(world):
    _, token = api_token_create(actor=None, person=world.alice, name="phone")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    _report(client, "warm-up")  # memos (type, command room, place names) warm, token touched
    counts = []
    corners = [(120.881, 30.941), (120.889, 30.941), (120.881, 30.949)]  # in grid A, far from one another
    for n, (lon, lat) in enumerate(corners):
        with CaptureQueriesContext(connection) as queries:
            body = _report(client, f"k-{n}", lon=lon, lat=lat)
        counts.append(len(queries))
        assert body["created"] is True
        assert body["event"]["number"].startswith("ZF0103-")
        assert body["event"]["grid"] and body["event"]["village"] and body["event"]["township"]
    assert len(set(counts)) == 1, counts
    assert counts[0] <= MAX_QUERIES, (counts[0], [q["sql"][:60] for q in queries.captured_queries])


def test_a_retry_is_answered_with_the_first_event_and_its_names(world):
    _, token = api_token_create(actor=None, person=world.alice, name="phone")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    first = _report(client, "same")
    again = _report(client, "same")
    assert again["created"] is False
    assert again["event"] == first["event"]
