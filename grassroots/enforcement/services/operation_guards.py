"""The named guards of joint operations, each refusal with its fixed code, and the values they check (a place
targeted, one unit's results). The steps in `operations.py` call them before they write."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grassroots.core.errors import InvalidInput
from grassroots.org.models import Unit

from ..models.operations import RESULT_FIELDS, JointOperation, OperationKind, OperationTask, OperationUnit

TITLE_MAX = JointOperation._meta.get_field("title").max_length or 200
TASK_MAX = OperationTask._meta.get_field("text").max_length or 300


@dataclass(frozen=True)
class Place:
    """A place targeted (重点区域): a name and, when known, its point (WGS-84)."""

    name: str
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class Results:
    """What one unit records: 检查场所（户次）, 发现问题, 立案查处, 整改到位."""

    places_inspected: int = 0
    problems_found: int = 0
    cases_opened: int = 0
    rectified: int = 0


def guard_kind(kind: str) -> str:
    if kind not in OperationKind.values:
        raise InvalidInput("行动类型应为联合执法或专项整治", code="operation_kind_unknown")
    return kind


def guard_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise InvalidInput("请填写行动名称", code="operation_title_required")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"行动名称不能超过{TITLE_MAX}字", code="operation_title_too_long")
    return title


def guard_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise InvalidInput(
            "结束日期不能早于开始日期",
            code="operation_period_invalid",
            details={"starts_on": str(starts_on), "ends_on": str(ends_on)},
        )


def guard_units(kind: str, lead_unit: Unit, units: Iterable[Unit]) -> list[Unit]:
    """The units taking part, the lead first; a joint operation needs another unit beside the lead."""
    chosen = [lead_unit, *(u for u in dict.fromkeys(units) if u.pk != lead_unit.pk)]
    inactive = [u.name for u in chosen if not u.is_active]
    if inactive:
        raise InvalidInput(
            f"以下单位已停用：{'、'.join(inactive)}",
            code="operation_unit_inactive",
            details={"units": inactive},
        )
    if kind == OperationKind.JOINT and len(chosen) < 2:
        raise InvalidInput("联合执法须有牵头单位以外的参与单位", code="operation_units_too_few")
    return chosen


def guard_places(places: Iterable[Place | dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for index, given in enumerate(places, start=1):
        place = given if isinstance(given, Place) else Place(**given)
        name = place.name.strip()
        point = (place.lon, place.lat)
        if not name or (None in point and point != (None, None)):
            raise InvalidInput(
                f"第 {index} 个地点须填写名称，经纬度须同时填写或同时留空",
                code="operation_place_invalid",
                details={"place": index},
            )
        if (
            place.lon is not None
            and place.lat is not None
            and not (-180 <= place.lon <= 180 and -90 <= place.lat <= 90)
        ):
            raise InvalidInput(
                f"第 {index} 个地点的经纬度超出范围",
                code="operation_place_invalid",
                details={"place": index},
            )
        rows.append({"name": name[:100], "lon": place.lon, "lat": place.lat})
    return rows


def guard_task_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("请填写任务内容", code="task_text_required")
    if len(text) > TASK_MAX:
        raise InvalidInput(f"任务内容不能超过{TASK_MAX}字", code="task_text_too_long")
    return text


def guard_participating(operation: JointOperation, unit: Unit) -> OperationUnit:
    row = operation.participants.filter(unit=unit).first()
    if row is None:
        raise InvalidInput(
            f"{unit.name}不是本次行动的参与单位",
            code="operation_unit_not_participating",
            details={"unit": unit.code},
        )
    return row


def guard_results(results: Results) -> None:
    values = {name: getattr(results, name) for name in RESULT_FIELDS}
    if any(v is None or v < 0 for v in values.values()):
        raise InvalidInput("成果数字不能为负数", code="results_negative", details=values)
    if results.rectified > results.problems_found:
        raise InvalidInput(
            "整改到位数不能多于发现问题数", code="results_rectified_above_found", details=values
        )
    if results.cases_opened > results.problems_found:
        raise InvalidInput("立案查处数不能多于发现问题数", code="results_cases_above_found", details=values)
