"""Schemathesis over the committed OpenAPI document (docs/openapi.json), through the WSGI app, as a staff token.

Every generated request must answer without a 5xx, with a status the document lists for that operation, and with an
error body in the API's shape ({code, message, details}). The budget is small for CI (FUZZ_EXAMPLES, default 3 per
operation); docs/reliability.md gives the command and the figures of a larger run.
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
from grassroots.people.services import api_token_create

schema = committed_schema("openapi.json")


def assert_error_shape(status: int, body: Any) -> None:
    assert (
        isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str)
    ), (
        status,
        body,
    )


@pytest.fixture
def bearer(world: Any) -> Any:
    with keeping_the_test_connection():
        _, key = api_token_create(actor=None, person=world.oscar, name="fuzz")
        yield {"Authorization": f"Bearer {key}"}


@pytest.mark.slow
@schema.parametrize()
@BUDGET
def test_api_answers_every_generated_request_in_its_documented_shape(
    case: Any, bearer: dict[str, str]
) -> None:
    response = call_and_validate(case, headers=bearer)
    if response.status_code >= 400:
        assert_error_shape(response.status_code, error_body(response))
