"""Excel import and export of the power list (权力清单): a sheet of powers and a sheet of their discretion rows.

An import reads and checks every row before it writes anything, and writes nothing if any row is wrong: the result
lists each problem (sheet, row, column, a message in Chinese). A good file is written in one transaction, keyed by
the power's code: a new code is created, a code whose content differs is updated, an equal one is left alone (so
importing the same file twice changes nothing); codes missing from the file are not touched. One audit row records
the file and the counts. The export writes the layout the import reads.
"""

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.core.workbooks import RowError, header_of, sheet_rows, write_sheet
from grassroots.core.workbooks import upload_problem as workbook_upload_problem
from grassroots.org.models import Unit
from grassroots.people.actors import Actor

from ..models import Power
from .powers_access import covers, manage_areas
from .powers_columns import (
    DISCRETION_COLUMNS,
    DISCRETION_SHEET,
    EXPORT_POWER_HEADERS,
    POWER_COLUMNS,
    POWER_FIELDS,
    POWERS_SHEET,
)
from .powers_rules import LEVEL_LABELS, discretion_normal, discretion_problems, publish_problems

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Rows per sheet: a township's list is about a thousand powers (Xitang: 1,073) with up to five levels each.
MAX_ROWS = {POWERS_SHEET: 5000, DISCRETION_SHEET: 25000}
AUDIT_CODES = 100  # the codes an audit row lists by name; beyond that, the counts
DISCRETION_FIELDS = {"level": "level", "min": "min", "max": "max", "circumstances": "circumstances"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "POWERS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ImportResult:
    source: str
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Parsed:
    row: int
    values: dict[str, Any]
    discretion: list[dict[str, Any]] = field(default_factory=list)
    discretion_rows: list[int] = field(default_factory=list)  # the Excel row of each discretion row
    unit_id: int | None = None


# -- reading and checking ---------------------------------------------------------------------------------------


def upload_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an uploaded file is refused before it is read (type and size), or None."""
    return workbook_upload_problem(name, size, head, limit=max_upload_bytes())


def read_powers(data: bytes, errors: list[RowError]) -> dict[str, _Parsed]:
    """The powers of the workbook by code, each with its discretion rows; every problem is added to `errors`."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        errors.append(RowError("", 0, "", "文件无法读取：请上传由 Excel 保存的 .xlsx 文件"))
        return {}
    try:
        power_rows = sheet_rows(
            workbook, POWERS_SHEET, POWER_COLUMNS, errors, max_rows=MAX_ROWS[POWERS_SHEET]
        )
        discretion_rows = sheet_rows(
            workbook, DISCRETION_SHEET, DISCRETION_COLUMNS, errors, max_rows=MAX_ROWS[DISCRETION_SHEET]
        )
    finally:
        workbook.close()
    powers: dict[str, _Parsed] = {}
    for number, values, problems in power_rows:
        for name, message in problems.items():
            errors.append(RowError(POWERS_SHEET, number, header_of(POWER_COLUMNS, name), message))
        code = values.get("code")
        if code in powers:
            message = f"职权编码 {code} 与第 {powers[code].row} 行重复"
            errors.append(RowError(POWERS_SHEET, number, "职权编码", message))
            continue
        category = values.get("category")
        if code and category and not code.startswith(category):
            message = f"职权编码 {code} 应以职权类型代码 {category} 开头"
            errors.append(RowError(POWERS_SHEET, number, "职权编码", message))
        if code:
            powers[code] = _Parsed(number, values)
    for number, values, problems in discretion_rows:
        for name, message in problems.items():
            errors.append(RowError(DISCRETION_SHEET, number, header_of(DISCRETION_COLUMNS, name), message))
        code = values.get("power_code")
        if code and code not in powers:
            message = f"职权编码 {code} 不在“{POWERS_SHEET}”工作表中"
            errors.append(RowError(DISCRETION_SHEET, number, "职权编码", message))
            continue
        if code and not problems:
            powers[code].discretion.append(
                {k: values[k] for k in ("level", "circumstances", "min", "max", "measure")}
            )
            powers[code].discretion_rows.append(number)
    for parsed in powers.values():
        errors.extend(_table_errors(parsed))
    return powers


def _table_errors(parsed: _Parsed) -> list[RowError]:
    """The discretion table's rules, pointed at the row and column that break them; then publishing's."""
    found = []
    for problem in discretion_problems(parsed.discretion):
        assert problem.row is not None
        column = header_of(DISCRETION_COLUMNS, DISCRETION_FIELDS.get(problem.field, "level"))
        found.append(RowError(DISCRETION_SHEET, parsed.discretion_rows[problem.row], column, problem.message))
    values = parsed.values
    if values.get("published") and "category" in values and "penalty_basis" in values:
        for problem in publish_problems(
            category=values["category"], penalty_basis=values["penalty_basis"], discretion=parsed.discretion
        ):
            if problem.field == "penalty_basis":  # a wrong table is already listed row by row
                found.append(RowError(POWERS_SHEET, parsed.row, "处罚依据", problem.message))
    return found


def _check_units(powers: dict[str, _Parsed], actor: Actor, errors: list[RowError]) -> None:
    """Each power's unit found by its code, active, and in the importer's area; `unit_id` set on the good ones."""
    codes = {p.values["unit_code"] for p in powers.values() if p.values.get("unit_code")}
    units = {
        code: (pk, active, division)
        for code, pk, active, division in Unit.objects.filter(code__in=codes).values_list(
            "code", "pk", "is_active", "division__code"
        )
    }
    areas = manage_areas(actor) if actor is not None else None  # None: the system (the demo, a command)
    for parsed in powers.values():
        code = parsed.values.get("unit_code")
        if not code:
            continue
        if code not in units:
            errors.append(RowError(POWERS_SHEET, parsed.row, "实施主体编码", f"实施主体编码 {code} 不存在"))
            continue
        pk, active, division = units[code]
        if not active:
            errors.append(RowError(POWERS_SHEET, parsed.row, "实施主体编码", f"实施主体 {code} 已停用"))
        elif not covers(areas, division):
            message = f"实施主体 {code} 不在您管理的区域内，不能导入其职权"
            errors.append(RowError(POWERS_SHEET, parsed.row, "实施主体编码", message))
        else:
            parsed.unit_id = pk


# -- comparing and writing --------------------------------------------------------------------------------------


def _wanted(parsed: _Parsed) -> dict[str, Any]:
    values = {name: parsed.values[name] for name in POWER_FIELDS}
    return values | {"unit_id": parsed.unit_id, "discretion": discretion_normal(parsed.discretion)}


def _stored(power: Power) -> dict[str, Any]:
    values = {name: getattr(power, name) for name in POWER_FIELDS}
    return values | {"unit_id": power.unit_id, "discretion": discretion_normal(list(power.discretion or []))}


def powers_import(*, actor: Actor, data: bytes, source: str) -> ImportResult:
    """Check the whole workbook, then write it in one transaction (nothing at all if any row is wrong)."""
    result = ImportResult(source=source)
    problem = upload_problem(source, len(data), data[:4])
    powers: dict[str, _Parsed] = {}
    if problem is not None:
        result.errors.append(RowError("", 0, "", problem))
    else:
        powers = read_powers(data, result.errors)
        _check_units(powers, actor, result.errors)
        if not powers and not result.errors:
            result.errors.append(RowError(POWERS_SHEET, 0, "", "文件中没有职权"))
    if result.errors:
        _audit(actor, result, outcome=AuditResult.FAILED)
        return result
    try:
        with transaction.atomic():
            _write(powers, result)
            _audit(actor, result, outcome=AuditResult.OK)
    except (
        IntegrityError
    ):  # another import created one of these codes meanwhile: nothing of this one was kept
        message = "另一次导入同时写入了相同的职权编码，本次未导入任何内容，请重新上传"
        failed = ImportResult(source=source, errors=[RowError("", 0, "", message)])
        _audit(actor, failed, outcome=AuditResult.FAILED)
        return failed
    return result


def _write(powers: dict[str, _Parsed], result: ImportResult) -> None:
    """Create the new codes, update the changed ones, leave the equal ones alone (the existing rows locked)."""
    existing = {p.code: p for p in Power.objects.select_for_update().filter(code__in=powers)}
    now = timezone.now()
    new, changed = [], []
    for code in sorted(powers):
        wanted = _wanted(powers[code])
        power = existing.get(code)
        if power is None:
            new.append(Power(code=code, **wanted))
            result.created.append(code)
        elif _stored(power) != wanted:
            for name, value in wanted.items():
                setattr(power, name, value)
            power.updated_at = now  # bulk_update skips auto_now
            changed.append(power)
            result.changed.append(code)
        else:
            result.unchanged.append(code)
    Power.objects.bulk_create(new, batch_size=500)
    Power.objects.bulk_update(changed, [*POWER_FIELDS, "unit", "discretion", "updated_at"], batch_size=500)


def _audit(actor: Actor, result: ImportResult, *, outcome: str) -> None:
    detail: dict[str, Any] = {"source": result.source[:200]}
    if result.errors:
        detail["errors"] = len(result.errors)
    else:
        detail |= {
            "created": len(result.created),
            "changed": len(result.changed),
            "unchanged": len(result.unchanged),
            "created_codes": result.created[:AUDIT_CODES],
            "changed_codes": result.changed[:AUDIT_CODES],
        }
    audit_record(
        actor=actor,
        action="power.import",
        object_type="enforcement.power",
        object_repr=result.source[:200],
        result=outcome,
        detail=detail,
    )


# -- export -----------------------------------------------------------------------------------------------------


def _power_cells(power: Power) -> list[Any]:
    return [
        power.code,
        power.name,
        power.get_category_display(),
        power.field,
        power.unit.code,
        power.unit.name,
        power.violation,
        power.basis,
        power.penalty_basis,
        "是" if power.published else "否",
    ]


def _discretion_cells(power: Power) -> list[list[Any]]:
    return [
        [
            power.code,
            LEVEL_LABELS.get(row["level"], row["level"]),
            row["circumstances"],
            row["min"],
            row["max"],
            row["measure"],
        ]
        for row in discretion_normal(list(power.discretion or []))
    ]


def powers_export(*, actor: Actor, powers: QuerySet[Power]) -> bytes:
    """The workbook of these powers, in the layout `powers_import` reads; audited."""
    chosen = list(powers.select_related("unit").order_by("code"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    widths = [c.width for c in POWER_COLUMNS[:5]] + [24] + [c.width for c in POWER_COLUMNS[5:]]
    write_sheet(workbook, POWERS_SHEET, EXPORT_POWER_HEADERS, widths, [_power_cells(p) for p in chosen])
    discretion = [row for p in chosen for row in _discretion_cells(p)]
    headers = [c.header for c in DISCRETION_COLUMNS]
    write_sheet(workbook, DISCRETION_SHEET, headers, [c.width for c in DISCRETION_COLUMNS], discretion)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action="power.export",
        object_type="enforcement.power",
        object_repr=f"权力清单 {len(chosen)} 项",
        detail={"powers": len(chosen), "discretion_rows": len(discretion)},
    )
    return buffer.getvalue()
