import pytest

from .support import Team, build_team


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    """Evidence and generated documents go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(world) -> Team:
    return build_team(world)
