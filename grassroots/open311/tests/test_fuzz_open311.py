"""Schemathesis over the committed Open311 document (docs/open311-openapi.json), through the WSGI app.

Every generated request must answer without a 5xx, with a status the document lists, with a body of the documented
schema, and every error as the spec's list of {code, description}. Submissions carry a real client's api_key
(half of them; the rest keep the generated one, which must be refused with 403). FUZZ_EXAMPLES sets the budget
(default 3 per operation, as in CI); docs/reliability.md gives the larger run.
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

from grassroots.open311 import services

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "open311-openapi.json"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))
schema.app = WSGIHandler()
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def api_key(world: Any) -> Any:
    # As Django's test client does: the WSGI handler must not close the test's database connection after a request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    _, key = services.open_client_create(
        actor=None, name="fuzz", district=world.district, rate_limit_per_minute=100_000
    )
    yield key
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
def test_open311_answers_every_generated_request_in_the_spec_shape(case: Any, api_key: str) -> None:
    if isinstance(case.body, dict) and len(str(case.body.get("service_code", ""))) % 2 == 0:
        case.body["api_key"] = api_key
    with transaction.atomic():
        response = case.call()
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        types = [v[0] for k, v in response.headers.items() if k.lower() == "content-type"]
        assert types and types[0].startswith("application/json"), response.text[:300]
        errors = response.json()
        assert isinstance(errors, list) and errors, errors
        assert all(set(e) == {"code", "description"} and e["code"] == response.status_code for e in errors), (
            errors
        )
