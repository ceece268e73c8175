"""The committed OpenAPI document matches the API (CI runs the same check)."""

import pytest
from django.core.management import CommandError, call_command


def test_the_committed_openapi_document_is_up_to_date():
    call_command("export_openapi", "--check")


def test_the_check_fails_on_a_stale_document_and_writing_fixes_it(tmp_path):
    path = tmp_path / "openapi.json"
    path.write_text("{}\n", encoding="utf-8")

    with pytest.raises(CommandError, match="不一致"):
        call_command("export_openapi", "--check", "--path", str(path))

    call_command("export_openapi", "--path", str(path))
    call_command("export_openapi", "--check", "--path", str(path))
    assert '"/api/v1/events/{event_id}/dispatch"' in path.read_text(encoding="utf-8")
