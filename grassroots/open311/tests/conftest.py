"""Open311 fixtures: a client with its key on the world's district, and helpers that read both formats."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from grassroots.demo.photos import sample_png
from grassroots.events.models import Event
from grassroots.open311 import services
from grassroots.open311.models import Open311Request, OpenClient

BASE = "/open311/v2"
# A point inside world.grid_a (红菱村), and one inside world.grid_b (鸦鹊村).
IN_GRID_A: dict[str, Any] = {"lat": "30.945", "long": "120.885"}
IN_GRID_B: dict[str, Any] = {"lat": "30.945", "long": "120.895"}
PNG = sample_png()


@dataclass
class Api:
    """A GeoReport client over Django's test client: `.get`/`.post` answer parsed bodies in either format."""

    http: Client
    key: str
    client: OpenClient

    def get(self, path: str, fmt: str = "json", **params: Any) -> "Answer":
        response = self.http.get(f"{BASE}/{path}.{fmt}", params)
        return Answer.of(response, fmt)

    def post(self, fmt: str = "json", *, headers: Mapping[str, str] | None = None, **data: Any) -> "Answer":
        body = {"api_key": self.key, **data}
        body = {k: v for k, v in body.items() if v is not None}
        response = self.http.post(f"{BASE}/requests.{fmt}", body, headers=dict(headers or {}))
        return Answer.of(response, fmt)

    def file(self, service_code: str = "FW0402", fmt: str = "json", **data: Any) -> str:
        """File a request (a point in grid A unless told otherwise) and return its service_request_id."""
        answer = self.post(fmt, service_code=service_code, **{**IN_GRID_A, "description": "井盖丢了", **data})
        assert answer.status == 201, answer.body
        return answer.rows[0]["service_request_id"]


def public(event: Event | str) -> Open311Request:
    """The public side of an event (or of the request with that number)."""
    if isinstance(event, str):
        return Open311Request.objects.get(event__number=event)
    return Open311Request.objects.get(event=event)


def match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found is not None, text[:500]
    return found.group(1)


@dataclass
class Answer:
    status: int
    content_type: str
    text: str
    body: Any  # JSON value, or the XML root element

    @classmethod
    def of(cls, response: Any, fmt: str) -> "Answer":
        text = response.content.decode()
        if fmt == "json":
            body = json.loads(text)
        else:
            assert text.startswith("<?xml"), text[:100]
            body = ET.fromstring(response.content)
        return cls(response.status_code, response["Content-Type"], text, body)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """List bodies as dicts in either format (XML: one dict per child of the root, text values)."""
        if isinstance(self.body, list):
            return self.body
        return [xml_dict(child) for child in self.body]

    @property
    def errors(self) -> list[dict[str, Any]]:
        rows = self.rows
        assert all(set(r) == {"code", "description"} for r in rows), rows
        return rows


def xml_dict(element: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in element:
        out[child.tag] = [xml_dict(c) if len(c) else c.text for c in child] if len(child) else child.text
    return out


def ensure_catalogue() -> None:
    """The types and their questions come from data migrations, which a transactional test's flush empties (and
    once Playwright runs an event loop in the thread, `serialized_rollback` no longer restores them)."""
    import importlib

    from django.apps import apps

    from grassroots.events.catalogue import load_catalogue
    from grassroots.events.models import EventType, TimeLimit

    load_catalogue(EventType, TimeLimit)
    importlib.import_module("grassroots.open311.migrations.0002_seed_service_attributes").seed(apps, None)


@pytest.fixture
def api(world: Any) -> Api:
    client, key = services.open_client_create(
        actor=None, name="城市随手拍 App", district=world.district, rate_limit_per_minute=1000
    )
    return Api(http=Client(), key=key, client=client)
