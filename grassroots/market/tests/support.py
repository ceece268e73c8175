"""A small registry in the personas' world (grassroots/conftest.py): entities in 红菱村 (grid_a) and 鸦鹊村
(grid_b) of 西塘镇, valid USCCs under the district code 330421; Ivan, an inspector of 西塘市场监管所; Petra, the
platform coordinator; Gina, the grid worker of grid_b."""

import datetime as dt
from typing import Any

from grassroots.conftest import World, make_person
from grassroots.core.checkdigits import uscc_build
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import LicenceKind
from ..models import Licence, MarketEntity
from ..services.risk import risk_refresh

IN_GRID_A = (120.885, 30.945)
IN_GRID_B = (120.895, 30.945)


def uscc(n: int, *, kind: str = "1", division: str = "330421") -> str:
    """A valid code, different for each `n`."""
    return uscc_build(authority="9", kind=kind, division=division, org_body=f"MA{n:06d}")


def make_entity(world: World, n: int, *, in_grid_b: bool = False, **fields: Any) -> MarketEntity:
    grid = world.grid_b if in_grid_b else world.grid_a
    lon, lat = IN_GRID_B if in_grid_b else IN_GRID_A
    values: dict[str, Any] = {
        "uscc": uscc(n),
        "name": f"嘉善县西塘镇测试商店{n}",
        "kind": "enterprise",
        "legal_rep": "沈国强",
        "phone": "13905731234",
        "address": "西塘镇南苑路 1 号",
        "lon": lon,
        "lat": lat,
        "region_code": grid.village.code,
        "grid": grid,
        "industry_code": "F5211",
        "industry_name": "百货零售",
    }
    values.update(fields)
    entity = MarketEntity.objects.create(**values)
    risk_refresh(entity)
    return entity


def add_licence(entity: MarketEntity, *, valid_to: dt.date, number: str = "") -> Licence:
    return Licence.objects.create(
        entity=entity,
        kind=LicenceKind.FOOD_BUSINESS,
        number=number or f"JY1330421{entity.pk:08d}",
        issuer="嘉善县市场监督管理局",
        valid_from=valid_to - dt.timedelta(days=5 * 365),
        valid_to=valid_to,
    )


def people(world: World) -> dict[str, Person]:
    return {
        "ivan": make_person("ivan", "钱伟", Role.INSPECTOR, unit=world.agency),
        "petra": make_person("petra", "孙雅", Role.PLATFORM_COORDINATOR, division=world.township),
        "gina": make_person("gina", "周敏", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b),
    }
