"""Entity import from CSV or Excel (.xlsx), idempotent by USCC: every bad row is listed (row, column, message in
Chinese) and nothing is written when any row is bad; a good file is written in one transaction and audited."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from grassroots.audit.services import audit_record
from grassroots.geo.index import locate_point
from grassroots.people.actors import Actor

from ..choices import KEY_TAGS, Demonstration, EntityKind, EntityStatus, FoodClass
from ..models import MarketEntity
from .codes import division_checker, entity_uscc_problems, industry_code_problem
from .risk import risk_refresh

MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024
# Column heading → field. The first two are required; the others may be left out of the file.
COLUMNS = {
    "统一社会信用代码": "uscc",
    "名称": "name",
    "主体类型": "kind",
    "法定代表人": "legal_rep",
    "联系电话": "phone",
    "住所": "address",
    "经度": "lon",
    "纬度": "lat",
    "行业代码": "industry_code",
    "行业名称": "industry_name",
    "登记状态": "status",
    "成立日期": "registered_on",
    "食品经营类别": "food_class",
    "示范创建": "demonstration",
    "重点监管标签": "key_tags",
}
REQUIRED = ("统一社会信用代码", "名称")
KIND_BY_USCC = {"91": EntityKind.ENTERPRISE, "92": EntityKind.INDIVIDUAL, "93": EntityKind.COOPERATIVE}
UPDATED_FIELDS = [f for f in COLUMNS.values() if f != "uscc"] + ["region_code", "grid_id"]


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number (1 is the heading; 0 the file as a whole)
    column: str
    message: str


@dataclass
class ImportResult:
    source: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _choice(value: str, choices: Any) -> str | None:
    """A choice given by its code or its Chinese label."""
    for code, label in choices.choices:
        if value in (code, str(label)):
            return str(code)
    return None


def read_rows(data: bytes, source: str) -> list[list[str]]:
    """The file's rows as text cells (the heading first)."""
    if source.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell_text(v) for v in values])
        return rows
    text = data.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class _Row:
    """One row's checked values and its problems."""

    def __init__(self, number: int, cells: dict[str, str], errors: list[RowError]) -> None:
        self.number, self.cells, self.errors = number, cells, errors
        self.values: dict[str, Any] = {}

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()


def _check_row(row: _Row, division_exists: Any) -> None:
    v = row.values
    uscc = row.text("统一社会信用代码").upper()
    v["uscc"] = uscc
    if not uscc:
        row.fail("统一社会信用代码", "必填")
    else:
        for problem in entity_uscc_problems(uscc, division_exists=division_exists):
            row.fail("统一社会信用代码", problem)
    v["name"] = row.text("名称")
    if not v["name"]:
        row.fail("名称", "必填")
    for column in ("法定代表人", "联系电话", "住所", "行业名称"):
        v[COLUMNS[column]] = row.text(column)
    _check_choices(row, uscc)
    industry = row.text("行业代码").upper()
    industry_problem = industry_code_problem(industry) if industry else None
    if industry_problem:
        row.fail("行业代码", industry_problem)
    v["industry_code"] = industry
    _check_place(row)
    registered = row.text("成立日期")
    v["registered_on"] = None
    if registered:
        try:
            v["registered_on"] = dt.date.fromisoformat(registered[:10])
        except ValueError:
            row.fail("成立日期", f"日期“{registered}”无法识别（应为 2024-05-01 格式）")
    tags = [
        t.strip()
        for t in row.text("重点监管标签").replace("，", ",").replace("、", ",").split(",")
        if t.strip()
    ]
    by_label = {label: code for code, label in KEY_TAGS.items()}
    unknown = [t for t in tags if t not in KEY_TAGS and t not in by_label]
    if unknown:
        row.fail("重点监管标签", f"未知标签：{'、'.join(unknown)}")
    v["key_tags"] = sorted({by_label.get(t, t) for t in tags if t not in unknown})


def _check_choices(row: _Row, uscc: str) -> None:
    v = row.values
    kind_text = row.text("主体类型")
    kind = _choice(kind_text, EntityKind) if kind_text else KIND_BY_USCC.get(uscc[:2], EntityKind.ENTERPRISE)
    if kind is None:
        row.fail("主体类型", f"未知主体类型“{kind_text}”")
    v["kind"] = kind
    for column, choices, default in (
        ("登记状态", EntityStatus, EntityStatus.OPERATING),
        ("食品经营类别", FoodClass, FoodClass.NONE),
        ("示范创建", Demonstration, Demonstration.NONE),
    ):
        given = row.text(column)
        value = _choice(given, choices) if given else str(default)
        if value is None:
            names = "、".join(str(label) for _, label in choices.choices)
            row.fail(column, f"未知{column}“{given}”（可填：{names}）")
        v[COLUMNS[column]] = value


def _check_place(row: _Row) -> None:
    v = row.values
    v.update(lon=None, lat=None, region_code="", grid_id=None)
    lon_text, lat_text = row.text("经度"), row.text("纬度")
    if not lon_text and not lat_text:
        return
    try:
        lon, lat = float(lon_text), float(lat_text)
    except ValueError:
        row.fail("经度" if not _is_number(lon_text) else "纬度", f"坐标“{lon_text}, {lat_text}”不是数字")
        return
    if not (73 <= lon <= 136 and 3 <= lat <= 54):
        row.fail("经度", f"坐标（{lon}, {lat}）不在中国境内（经度 73–136，纬度 3–54）")
        return
    v.update(lon=lon, lat=lat)
    location = locate_point(lon, lat)
    if location is not None:
        v.update(region_code=location.village_code, grid_id=location.grid_id)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_file(data: bytes, source: str, result: ImportResult) -> list[dict[str, Any]]:
    """Every row's values, with every problem appended to `result.errors`."""
    if not source.lower().endswith((".csv", ".xlsx")):
        result.errors.append(RowError(0, "", "只能导入 CSV（.csv）或 Excel（.xlsx）文件"))
        return []
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(0, "", f"文件过大：不得超过 {MAX_BYTES // (1024 * 1024)} MB"))
        return []
    try:
        rows = read_rows(data, source)
    except (UnicodeDecodeError, csv.Error, ValueError, OSError, KeyError) as exc:
        result.errors.append(
            RowError(0, "", f"文件无法读取（CSV 应为 UTF-8 编码）：{exc.__class__.__name__}")
        )
        return []
    if not rows:
        result.errors.append(RowError(0, "", "文件是空的"))
        return []
    heading = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in heading]
    unknown = [h for h in heading if h and h not in COLUMNS]
    if missing or unknown:
        if missing:
            result.errors.append(RowError(1, "、".join(missing), "缺少必需的列"))
        if unknown:
            result.errors.append(RowError(1, "、".join(unknown), f"未知的列（可用：{'、'.join(COLUMNS)}）"))
        return []
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(RowError(0, "", f"行数过多：一次最多导入 {MAX_ROWS} 行"))
        return []
    division_exists = division_checker()
    checked: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = _Row(number, dict(zip(heading, cells, strict=False)), result.errors)
        _check_row(row, division_exists)
        uscc = row.values["uscc"]
        if uscc and uscc in first_row:
            row.fail("统一社会信用代码", f"与第 {first_row[uscc]} 行重复")
        first_row.setdefault(uscc, number)
        checked.append(row.values)
    if not checked and not result.errors:
        result.errors.append(RowError(0, "", "文件中没有数据行"))
    return checked


def entity_import(*, actor: Actor, data: bytes, source: str) -> ImportResult:
    """Check the whole file, then write it in one transaction (nothing at all if any row is wrong)."""
    result = ImportResult(source=source)
    rows = check_file(data, source, result)
    if not result.ok:
        return result
    with transaction.atomic():
        existing = {e.uscc: e for e in MarketEntity.objects.filter(uscc__in=[r["uscc"] for r in rows])}
        touched: list[MarketEntity] = []
        for values in rows:
            entity = existing.get(values["uscc"])
            if entity is None:
                touched.append(MarketEntity.objects.create(**values))
                result.created += 1
                continue
            changes = [f for f in UPDATED_FIELDS if getattr(entity, f) != values[f]]
            if not changes:
                result.unchanged += 1
                continue
            for name in changes:
                setattr(entity, name, values[name])
            entity.version = F("version") + 1
            entity.save(update_fields=[*changes, "version", "updated_at"])
            entity.refresh_from_db(fields=["version"])
            touched.append(entity)
            result.changed += 1
        for entity in MarketEntity.objects.filter(pk__in=[e.pk for e in touched]).prefetch_related(
            "licences", "abnormal_listings"
        ):
            risk_refresh(entity)
        audit_record(
            actor=actor,
            action="marketentity.import",
            object_type="market.marketentity",
            object_repr=source[:200],
            detail={
                "source": source,
                "created": result.created,
                "changed": result.changed,
                "rows": len(rows),
            },
        )
    return result
