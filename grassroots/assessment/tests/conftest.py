from typing import Any

import pytest

from grassroots.assessment.defaults import load_default_schemes
from grassroots.assessment.models import Scheme, SchemeAdjustment, SchemeItem, SchemePart

from .scenario import Scenario, build


@pytest.fixture
def scenario(world: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> Scenario:
    # The default schemes come from a data migration; a transactional test elsewhere may have flushed them.
    load_default_schemes(Scheme, SchemePart, SchemeItem, SchemeAdjustment)
    settings.MEDIA_ROOT = tmp_path
    settings.ASSESSMENT_REPORT_RUNNER = "sync"
    return build(world, monkeypatch)
