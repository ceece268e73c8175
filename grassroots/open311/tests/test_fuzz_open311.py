"""Schemathesis over the committed Open311 document (docs/open311-openapi.json), through the WSGI app.

Every generated request must answer without a 5xx, with a status the document lists, with a body of the documented
schema, and every error as the spec's list of {code, description}. Submissions carry a real client's api_key
(half of them; the rest keep the generated one, which must be refused with 403). FUZZ_EXAMPLES sets the budget
(default 3 per operation, as in CI); docs/reliability.md gives the larger run.
"""

from typing import Any

import pytest

from grassroots.core.tests.fuzzing import (
    BUDGET,
    call_and_validate,
    committed_schema,
    error_body,
    keeping_the_test_connection,
)
from grassroots.open311 import services

schema = committed_schema("open311-openapi.json")


@pytest.fixture
def api_key(world: Any) -> Any:
    with keeping_the_test_connection():
        _, key = services.open_client_create(
            actor=None, name="fuzz", district=world.district, rate_limit_per_minute=100_000
        )
        yield key


@pytest.mark.slow
@schema.parametrize()
@BUDGET
def test_open311_answers_every_generated_request_in_the_spec_shape(case: Any, api_key: str) -> None:
    if isinstance(case.body, dict) and len(str(case.body.get("service_code", ""))) % 2 == 0:
        case.body["api_key"] = api_key
    response = call_and_validate(case)
    if response.status_code >= 400:
        errors = error_body(response)
        assert isinstance(errors, list) and errors, errors
        assert all(set(e) == {"code", "description"} and e["code"] == response.status_code for e in errors), (
            errors
        )
