"""Schemathesis over the committed OpenAPI document (docs/openapi.json), through the WSGI app, as a staff token.

Every generated request must answer without a 5xx, with a status the document lists for that operation, and with an
error body in the API's shape ({code, message, details}). The budget is small for CI (FUZZ_EXAMPLES, default 3 per
operation); docs/reliability.md gives the command and the figures of a larger run.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings

from grassroots.people.services import api_token_create

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))
schema.app = WSGIHandler()
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.response_schema_conformance,
]


def assert_error_shape(status: int, body: Any) -> None:
    assert (
        isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str)
    ), (
        status,
        body,
    )


@pytest.fixture
def bearer(world: Any) -> Any:
    # As Django's test client does: the WSGI handler must not close the test's database connection after a request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    _, key = api_token_create(actor=None, person=world.oscar, name="fuzz")
    yield {"Authorization": f"Bearer {key}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@hsettings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_in_its_documented_shape(
    case: Any, bearer: dict[str, str]
) -> None:
    # Each case in its own savepoint, as each request has its own transaction in production.
    with transaction.atomic():
        response = case.call(headers=bearer)
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        types = [v[0] for k, v in response.headers.items() if k.lower() == "content-type"]
        assert types and types[0].startswith("application/json"), response.text[:300]
        assert_error_shape(response.status_code, response.json())
