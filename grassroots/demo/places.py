"""The demo district's divisions and grids: which townships and villages exist, and their rows."""

import itertools
import random
from dataclasses import dataclass, field

from shapely.geometry import Polygon

from grassroots.geo.choices import DivisionKind, DivisionLevel, GridKind
from grassroots.geo.codes import KIND_RANGES
from grassroots.geo.geometry import boundary_fields
from grassroots.geo.models import Division, Grid

from .geometry import Layout, geojson
from .names import (
    BASE_TOWNSHIPS,
    DISTRICT_CODE,
    DISTRICT_NAME,
    EXTRA_TOWNSHIPS,
    PLACE_FIRST,
    PLACE_SECOND,
    TOWNSHIP_SHAPES,
    TownshipSpec,
    VillageSpec,
)

MAX_SIZE = 100  # township codes run out a little above this
INVENTED_SUFFIX = {DivisionKind.STREET: "街道", DivisionKind.TOWN: "镇", DivisionKind.ZONE: "工业园区"}
INVENTED_KINDS = (DivisionKind.STREET, DivisionKind.TOWN, DivisionKind.ZONE)
HOUSEHOLDS = {GridKind.URBAN: (260, 340), GridKind.RURAL: (125, 180)}  # guideline 300 / 150 (seed 001)


@dataclass
class Places:
    """The rows created, with the specs they came from; grids are listed by village code."""

    district: Division
    specs: list[TownshipSpec]
    townships: list[Division]
    villages: dict[str, list[Division]] = field(default_factory=dict)  # by township code
    grids: dict[str, list[Grid]] = field(default_factory=dict)  # by village code
    outlines: dict[str, Polygon] = field(default_factory=dict)  # intended polygon by division code

    def all_villages(self) -> list[Division]:
        return [v for t in self.townships for v in self.villages[t.code]]

    def all_grids(self) -> list[Grid]:
        return [g for v in self.all_villages() for g in self.grids[v.code]]


def township_specs(rng: random.Random, size: int) -> list[TownshipSpec]:
    """Three townships per unit of size: the base three, Jiashan's other towns, then invented ones."""
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"size must be between 1 and {MAX_SIZE}")
    specs = list(BASE_TOWNSHIPS)
    real = iter(EXTRA_TOWNSHIPS)
    shorts = {s.short for s in specs} | {r[2] for r in EXTRA_TOWNSHIPS}
    codes = {s.code for s in specs} | {r[0] for r in EXTRA_TOWNSHIPS}
    while len(specs) < 3 * size:
        nxt = next(real, None)
        if nxt is not None:
            code, name, short, kind, seat = nxt
        else:
            kind = INVENTED_KINDS[len(specs) % 3]
            code = _free_code(kind, codes)
            short = _place_name(rng, shorts)
            name, seat = short + INVENTED_SUFFIX[kind], None
        codes.add(code)
        specs.append(TownshipSpec(code, name, short, kind, seat, _invented_villages(rng, kind, short)))
    return specs


def _free_code(kind: DivisionKind, taken: set[str]) -> str:
    low, high = KIND_RANGES[kind]
    return next(c for n in range(low, high + 1) if (c := f"{DISTRICT_CODE}{n:03d}") not in taken)


def _place_name(rng: random.Random, taken: set[str]) -> str:
    for _ in range(100):
        name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if name[0] != name[1] and name not in taken:
            taken.add(name)
            return name
    # Crowded: fall back to the first free combination, still deterministic.
    name = next(a + b for a, b in itertools.product(PLACE_FIRST, PLACE_SECOND) if a + b not in taken)
    taken.add(name)
    return name


def _invented_villages(
    rng: random.Random, kind: DivisionKind, township_short: str
) -> tuple[VillageSpec, ...]:
    communities, villages, per_community, per_village = TOWNSHIP_SHAPES[kind]
    taken = {township_short}
    return tuple(
        VillageSpec(
            name=_place_name(rng, taken) + ("社区" if community else "村"),
            community=community,
            grids=rng.randint(*(per_community if community else per_village)),
        )
        for community in [True] * communities + [False] * villages
    )


def create_places(rng: random.Random, specs: list[TownshipSpec], layout: Layout) -> Places:
    district = Division.objects.create(
        code=DISTRICT_CODE, name=DISTRICT_NAME, level=DivisionLevel.DISTRICT, kind=DivisionKind.COUNTY
    )
    townships = Division.objects.bulk_create(
        Division(code=s.code, name=s.name, level=DivisionLevel.TOWNSHIP, kind=s.kind, parent=district)
        for s in specs
    )
    places = Places(district=district, specs=specs, townships=townships)
    places.outlines[district.code] = layout.district
    village_rows = []
    for spec, township, outline, village_outlines in zip(
        specs, townships, layout.townships, layout.villages, strict=True
    ):
        places.outlines[township.code] = outline
        numbers = {True: itertools.count(1), False: itertools.count(201)}  # 居委会 001–, 村委会 201–
        rows = [
            Division(
                code=f"{township.code}{next(numbers[v.community]):03d}",
                name=v.name,
                level=DivisionLevel.VILLAGE,
                kind=DivisionKind.RESIDENTS if v.community else DivisionKind.VILLAGERS,
                parent=township,
            )
            for v in spec.villages
        ]
        places.villages[township.code] = rows
        places.outlines.update((row.code, poly) for row, poly in zip(rows, village_outlines, strict=True))
        village_rows.extend(rows)
    Division.objects.bulk_create(village_rows)

    grid_rows = []
    for spec, township, polygons_by_village in zip(specs, townships, layout.grids, strict=True):
        for village, polygons in zip(places.villages[township.code], polygons_by_village, strict=True):
            urban = spec.kind == DivisionKind.STREET or village.kind == DivisionKind.RESIDENTS
            kind = GridKind.URBAN if urban else GridKind.RURAL
            grids = [_grid(rng, village, n, kind, polygon) for n, polygon in enumerate(polygons, start=1)]
            places.grids[village.code] = grids
            grid_rows.extend(grids)
    Grid.objects.bulk_create(grid_rows)
    return places


def _grid(rng: random.Random, village: Division, number: int, kind: GridKind, polygon: Polygon) -> Grid:
    boundary = geojson(polygon)
    return Grid(
        code=f"{village.code}{number:02d}",
        name=f"{village.name}{number}号网格",
        village=village,
        kind=kind,
        households=rng.randint(*HOUSEHOLDS[kind]),
        boundary=boundary,
        **boundary_fields(boundary),
    )
