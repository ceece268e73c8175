"""The benchmarks are not type-checked (bench/ is outside mypy) nor run by the suite, so a rename in the product can
break them unseen: each module must at least import."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
# The scripts run as `python bench/<script>.py` and import their neighbours by plain name; the ceiling views are
# a package the bench's server settings name.
SCRIPTS = sorted(path.stem for path in BENCH.glob("*.py"))
PACKAGES = sorted(
    f"bench.ceiling.{path.stem}" for path in (BENCH / "ceiling").glob("*.py") if path.stem != "settings"
)


def test_the_benchmarks_are_found():
    assert "bench_events_api" in SCRIPTS
    assert "bench.ceiling.views" in PACKAGES


@pytest.mark.parametrize("name", SCRIPTS + PACKAGES)
def test_each_benchmark_module_imports(name, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    importlib.import_module(name)
