"""Fixtures for geography tests: a small tree of divisions, an actor, and files written to tmp_path."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grassroots.geo.choices import DivisionKind
from grassroots.geo.index import grid_index_invalidate
from grassroots.geo.models import Division
from grassroots.geo.services import division_create
from grassroots.people.choices import Role
from grassroots.people.models import Person

# Around 西塘镇, 嘉善县 (the shared fixtures use the same place).
LON, LAT = 120.88, 30.94


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def square_wkt(lon: float, lat: float, size: float = 0.01) -> str:
    ring = square(lon, lat, size)["coordinates"][0]
    return "POLYGON((" + ", ".join(f"{x!r} {y!r}" for x, y in ring) + "))"


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return path


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@dataclass
class Tree:
    district: Division
    township: Division
    village_a: Division
    village_b: Division


@pytest.fixture(autouse=True)
def fresh_grid_index() -> None:
    """The cached index outlives each test's rolled-back transaction; start every test from the database."""
    grid_index_invalidate()


@pytest.fixture
def actor(db: None) -> Person:
    return Person.objects.create_user(
        username="oscar", password="Secret@2026", name="陈志强", role=Role.OPERATOR
    )


@pytest.fixture
def tree(actor: Person) -> Tree:
    district = division_create(actor=actor, code="330421", name="嘉善县", kind=DivisionKind.COUNTY)
    township = division_create(
        actor=actor, code="330421102", name="西塘镇", kind=DivisionKind.TOWN, parent=district
    )
    village_a = division_create(
        actor=actor, code="330421102201", name="红菱村", kind=DivisionKind.VILLAGERS, parent=township
    )
    village_b = division_create(
        actor=actor, code="330421102202", name="鸦鹊村", kind=DivisionKind.VILLAGERS, parent=township
    )
    return Tree(district=district, township=township, village_a=village_a, village_b=village_b)
