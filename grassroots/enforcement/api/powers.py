"""The power list through the API (/api/v1/powers): the powers filtered, a page at a time by code, and one power
with its discretion table. Everyone signed in reads the published powers; the enforcement roles also read the
unpublished ones of their area (`services.powers_access.readable_by`). Out of reach answers 404."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from grassroots.core.errors import InvalidInput, NotFound
from grassroots.events.schemas import ErrorOut
from grassroots.people.actors import person_of

from ..models import Power
from ..services.powers_access import readable_by
from ..services.powers_columns import CODE_RE
from ..services.powers_rules import LEVEL_LABELS, discretion_normal
from ..services.powers_selectors import PowerFilters, powers_search
from .powers_schemas import (
    DiscretionOut,
    PowerDetailOut,
    PowerListOut,
    PowerListQuery,
    PowerOut,
    PowerUnitOut,
)

router = Router(tags=["powers"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _fields(power: Power) -> dict[str, Any]:
    unit = power.unit
    return {
        "code": power.code,
        "name": power.name,
        "category": power.category,
        "category_label": power.get_category_display(),
        "field": power.field,
        "unit": PowerUnitOut(code=unit.code, name=unit.name, division_code=unit.division.code),
        "published": power.published,
        "updated_at": power.updated_at,
    }


@router.get(
    "",
    response={200: PowerListOut, **ERRORS},
    summary="权力清单（按职权编码分页）",
    operation_id="power_list",
)
def power_list(request: HttpRequest, query: Query[PowerListQuery]) -> PowerListOut:
    person = person_of(request)
    filters = PowerFilters(
        q=query.q.strip(),
        category=query.category or "",
        field=query.field.strip(),
        unit=query.unit.strip(),
        township=query.township,
        published=query.published,
    )
    rows = powers_search(readable_by(person), filters)
    # The code is unique and never changes: it orders the pages and is the cursor (keyset, no skipped rows).
    if query.cursor:
        if not CODE_RE.match(query.cursor):
            raise InvalidInput(
                "分页游标无效，请从第一页重新查询", code="invalid_cursor", details={"cursor": query.cursor}
            )
        rows = rows.filter(code__gt=query.cursor)
    page = list(
        rows.select_related("unit__division").defer("discretion", "basis", "penalty_basis")[: query.limit + 1]
    )
    more = len(page) > query.limit
    page = page[: query.limit]
    return PowerListOut(items=[PowerOut(**_fields(p)) for p in page], next=page[-1].code if more else None)


@router.get(
    "/{code}",
    response={200: PowerDetailOut, **ERRORS},
    summary="一项职权及其裁量基准",
    operation_id="power_detail",
)
def power_detail(request: HttpRequest, code: str) -> PowerDetailOut:
    person = person_of(request)
    power = readable_by(person).select_related("unit__division").filter(code=code.upper()).first()
    if power is None:
        raise NotFound("职权不存在或未公布", code="power_not_found", details={"code": code})
    return PowerDetailOut(
        **_fields(power),
        violation=power.violation,
        basis=power.basis,
        penalty_basis=power.penalty_basis,
        discretion=[
            DiscretionOut(**row, level_label=LEVEL_LABELS.get(row["level"], row["level"]))
            for row in discretion_normal(list(power.discretion or []))
        ],
    )
