"""Reading division and grid files (GeoJSON or CSV) into rows for the import services.

A file that cannot be read at all (encoding, syntax, missing columns) is rejected here; every other problem is
found by the services, which check the whole file before writing anything.
"""

import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

from grassroots.people.actors import Actor

from .choices import DivisionKind, GridKind
from .services import (
    DivisionRow,
    GeoValidationError,
    GridRow,
    ImportSummary,
    division_import_batch,
    grid_import_batch,
)

FORMATS = ("geojson", "csv")
# CSV columns; a district leaves parent_code empty, and in GeoJSON may leave the property out.
DIVISION_FIELDS = ("code", "name", "kind", "parent_code")
GRID_FIELDS = ("code", "name", "village_code", "households", "kind")
# A grid CSV needs at least one of these.
GRID_BOUNDARY_COLUMNS = ("wkt", "geojson")
# Where a GeoJSON feature's geometry goes among its properties; no CSV header can produce this name.
GEOMETRY = "@geometry"
# A detailed boundary in one CSV cell easily passes the csv module's default limit of 128 KiB.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def import_divisions(
    *, actor: Actor, path: Path | str, fmt: str | None = None, dry_run: bool = False
) -> ImportSummary:
    path = Path(path)
    data = path.read_bytes()
    rows = read_division_rows(data, fmt=fmt or guess_format(path, data))
    return division_import_batch(actor=actor, rows=rows, source=path.name, dry_run=dry_run)


def import_grids(
    *, actor: Actor, path: Path | str, fmt: str | None = None, dry_run: bool = False
) -> ImportSummary:
    path = Path(path)
    data = path.read_bytes()
    rows = read_grid_rows(data, fmt=fmt or guess_format(path, data))
    return grid_import_batch(actor=actor, rows=rows, source=path.name, dry_run=dry_run)


def guess_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix in (".csv", ".txt"):
        return "csv"
    return "geojson" if data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"{") else "csv"


def read_division_rows(data: bytes, *, fmt: str) -> list[DivisionRow]:
    records = _records(data, fmt=fmt, columns=DIVISION_FIELDS, properties=DIVISION_FIELDS[:-1])
    return [_division_row(label, fields, missing) for label, fields, missing in records]


def read_grid_rows(data: bytes, *, fmt: str) -> list[GridRow]:
    records = _records(
        data, fmt=fmt, columns=GRID_FIELDS, any_column=GRID_BOUNDARY_COLUMNS, properties=GRID_FIELDS
    )
    return [_grid_row(label, fields, missing) for label, fields, missing in records]


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is fine); any other encoding is rejected with a message that says which it looks like."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise GeoValidationError(["文件是 UTF-16 编码，请另存为 UTF-8 后重新导入"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeoValidationError([_encoding_message(data, exc)]) from None
    if not text.strip():
        raise GeoValidationError(["文件为空"])
    return text


# Each record: (label for messages, field values, problems found reading it or None when it is readable).
_Record = tuple[str, dict[str, Any], list[str] | None]


def _records(
    data: bytes,
    *,
    fmt: str,
    columns: tuple[str, ...],
    properties: tuple[str, ...],
    any_column: tuple[str, ...] = (),
) -> list[_Record]:
    """The records of a file: CSV needs every one of `columns` and one of `any_column` in its header;
    a GeoJSON feature needs every one of `properties`."""
    if fmt not in FORMATS:
        raise GeoValidationError([f"不支持的文件格式“{fmt}”，应为 GeoJSON 或 CSV"])
    text = decode(data)
    records = list(
        _geojson_records(text, properties) if fmt == "geojson" else _csv_records(text, columns, any_column)
    )
    if not records:
        raise GeoValidationError(["文件中没有数据"])
    return records


def _geojson_records(text: str, required: tuple[str, ...]) -> Iterator[_Record]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoValidationError(
            [f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有语法错误（{exc.msg}）"]
        ) from None
    features = document.get("features") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        raise GeoValidationError(
            ['不是 GeoJSON 要素集合：顶层应为 {"type": "FeatureCollection", "features": [...]}']
        )
    for number, feature in enumerate(features, start=1):
        label = f"第 {number} 个要素"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if (
            not isinstance(feature, dict)
            or feature.get("type") != "Feature"
            or not isinstance(properties, dict)
        ):
            yield label, {}, ['不是有效的 Feature（应有 "type": "Feature" 和 properties 对象）']
            continue
        fields = {str(name).strip().lower(): value for name, value in properties.items()}
        missing = [name for name in required if fields.get(name) is None]
        fields[GEOMETRY] = feature.get("geometry")
        yield label, fields, [f"缺少属性：{'、'.join(missing)}"] if missing else None


def _csv_records(text: str, required: tuple[str, ...], any_of: tuple[str, ...]) -> Iterator[_Record]:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    try:
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration:
        raise GeoValidationError(["文件中没有表头"]) from None
    except csv.Error as exc:
        raise GeoValidationError([f"不是有效的 CSV：第 {reader.line_num} 行：{exc}"]) from None
    names = [cell.strip().lower() for cell in header]
    problems = []
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(f"表头中的列重复：{'、'.join(repeated)}")
    missing = [name for name in required if name not in names]
    if any_of and not any(name in names for name in any_of):
        missing.append(" 或 ".join(any_of))
    if missing:
        problems.append(f"缺少列：{'、'.join(missing)}（表头为：{'、'.join(names)}；CSV 第 1 行应为表头）")
    if problems:
        raise GeoValidationError(problems)

    last_line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise GeoValidationError([f"第 {reader.line_num} 行：不是有效的 CSV（{exc}）"]) from None
        # A quoted cell may span lines; a record is labelled by the line it starts on.
        label, last_line = f"第 {last_line + 1} 行", reader.line_num
        if not any(value.strip() for value in values):
            continue
        # Spreadsheets often pad rows with empty cells.
        while len(values) > len(names) and not values[-1].strip():
            values.pop()
        if len(values) != len(names):
            yield label, {}, [f"有 {len(values)} 列，表头有 {len(names)} 列"]
            continue
        yield label, {name: value.strip() for name, value in zip(names, values, strict=True)}, None


def _division_row(label: str, fields: dict[str, Any], problems: list[str] | None) -> DivisionRow:
    if problems is not None:
        return DivisionRow(label=label, code="", name="", kind="", unreadable=True, errors=problems)
    errors: list[str] = []
    valid_from = None
    if fields.get("valid_from"):
        try:
            valid_from = dt.date.fromisoformat(str(fields["valid_from"]))
        except ValueError:
            errors.append(f"生效日期“{fields['valid_from']}”应为 YYYY-MM-DD 格式")
    return DivisionRow(
        label=label,
        code=_text(fields.get("code")),
        name=_text(fields.get("name")),
        kind=_choice(fields.get("kind"), DivisionKind),
        parent_code=_text(fields.get("parent_code")),
        valid_from=valid_from,
        errors=errors,
    )


def _grid_row(label: str, fields: dict[str, Any], problems: list[str] | None) -> GridRow:
    if problems is not None:
        return GridRow(
            label=label,
            code="",
            name="",
            village_code="",
            households=None,
            kind="",
            boundary=None,
            unreadable=True,
            errors=problems,
        )
    errors: list[str] = []
    households = _households(fields.get("households"), errors)
    if GEOMETRY in fields:
        boundary = _geojson_boundary(fields[GEOMETRY], errors)
    elif fields.get("wkt"):
        boundary = _wkt_boundary(fields["wkt"], errors)
    elif fields.get("geojson"):
        boundary = _geojson_text_boundary(fields["geojson"], errors)
    else:
        boundary = None
        errors.append("缺少边界：wkt 和 geojson 列都为空")
    return GridRow(
        label=label,
        code=_text(fields.get("code")),
        name=_text(fields.get("name")),
        village_code=_text(fields.get("village_code")),
        households=households,
        kind=_choice(fields.get("kind"), GridKind),
        boundary=boundary,
        errors=errors,
    )


def _text(value: Any) -> str:
    """A code or name as text; a code written as a JSON number (330421 or 330421.0) reads as its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice(value: Any, choices: Any) -> str:
    """The stored value for a kind given as its value ("town") or its Chinese label ("镇")."""
    text = _text(value)
    for stored, label in choices.choices:
        if text in (stored, str(label)):
            return str(stored)
    return text


def _households(value: Any, errors: list[str]) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | None = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or number < 0:
        errors.append(f"户数“{'' if value is None else value}”应为不小于 0 的整数")
        return None
    return number


def _geojson_boundary(geometry: Any, errors: list[str]) -> dict[str, Any] | None:
    if geometry is None:
        errors.append("缺少边界：geometry 为空")
        return None
    if not isinstance(geometry, dict):
        errors.append("边界应为 GeoJSON 几何对象")
        return None
    return geometry


def _geojson_text_boundary(text: str, errors: list[str]) -> dict[str, Any] | None:
    try:
        geometry = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(f"geojson 列不是有效的 JSON（第 {exc.colno} 个字符附近：{exc.msg}）")
        return None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    return _geojson_boundary(geometry, errors)


def _wkt_boundary(text: str, errors: list[str]) -> dict[str, Any] | None:
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        errors.append(_wkt_message(str(exc)))
        return None
    # Through JSON so the coordinates are lists, as if the boundary had come from a GeoJSON file.
    boundary: dict[str, Any] = json.loads(json.dumps(mapping(geom)))
    return boundary


def _wkt_message(reason: str) -> str:
    if "closed linestring" in reason:
        return "边界 WKT 的环未闭合（首尾坐标不同）"
    if "Expected number" in reason:
        return f"边界 WKT 含有非数字坐标（{reason.partition(': ')[2]}）"
    return f"边界 WKT 无法解析（{reason}）"


def _encoding_message(data: bytes, exc: UnicodeDecodeError) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"文件不是 UTF-8 编码（第 {exc.start + 1} 个字节无法解码），请转为 UTF-8 后重新导入"
    return (
        "文件是 GBK/GB18030 编码，不是 UTF-8（Excel 默认这样保存 CSV）。"
        "请用 Excel“另存为 → CSV UTF-8（逗号分隔）”或在文本编辑器中转为 UTF-8 后重新导入"
    )
