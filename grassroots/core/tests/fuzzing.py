"""What the two schemathesis runs share (test_fuzz_api.py, open311/tests/test_fuzz_open311.py): a committed document
called through the WSGI app, the checks, the budget (FUZZ_EXAMPLES, default 3 per operation), each case in its own
savepoint, and the JSON body of an error."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.response_schema_conformance,
]
BUDGET = hsettings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def committed_schema(name: str) -> Any:
    """The committed document docs/`name`, called in-process through the WSGI app."""
    document = Path(settings.BASE_DIR) / "docs" / name
    schema = schemathesis.openapi.from_dict(json.loads(document.read_text(encoding="utf-8")))
    schema.app = WSGIHandler()
    return schema


@contextmanager
def keeping_the_test_connection() -> Iterator[None]:
    # As Django's test client does: the WSGI handler must not close the test's database connection after a request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call_and_validate(case: Any, **kwargs: Any) -> Any:
    """Call the case in its own savepoint, as each request has its own transaction in production, and run the
    checks; the response."""
    with transaction.atomic():
        response = case.call(**kwargs)
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
    return response


def error_body(response: Any) -> Any:
    """An error's body, which must be JSON."""
    types = [v[0] for k, v in response.headers.items() if k.lower() == "content-type"]
    assert types and types[0].startswith("application/json"), response.text[:300]
    return response.json()
