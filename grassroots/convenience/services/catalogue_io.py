"""Excel import and export of the service catalogue (事项清单): a sheet of items and a sheet of their materials.

An import reads and checks every row before it writes anything, and writes nothing if any row is wrong: the result
lists each bad row (sheet, row, column, a message in Chinese). A code whose content changed gets a new draft version
through the catalogue core (`workflow.publishing.new_draft`), so an application keeps the version it was received
under; a row equal to the code's latest version is left alone, so importing the same file twice changes nothing.
Codes missing from the file are not touched (an import never retires an item).
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.workbooks import Column, RowError, header_of, sheet_rows, write_sheet
from grassroots.core.workbooks import upload_problem as workbook_upload_problem
from grassroots.people.actors import Actor
from grassroots.workflow.catalogue import limit_problem
from grassroots.workflow.choices import CatalogueStatus
from grassroots.workflow.publishing import new_draft, publish

from ..models import ServiceItem, ServiceMaterial
from .catalogue_columns import (
    ITEM_COLUMNS,
    ITEM_FIELDS,
    ITEMS_SHEET,
    MATERIAL_COLUMNS,
    MATERIAL_FIELDS,
    MATERIALS_SHEET,
    channels_label,
    channels_ordered,
)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # per sheet: a district's list is a few hundred items
# The column to point at for each of the item's own publishing rules (`ServiceItem.catalogue_problems`).
PROBLEM_COLUMNS = {
    "limit_missing": "法定时限（工作日）",
    "zero_visit_with_visits": "到现场次数",
    "at_most_once_with_visits": "到现场次数",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "CATALOGUE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ImportResult:
    source: str
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # new codes (version 1)
    changed: list[str] = field(default_factory=list)  # codes given a new version, or whose draft was edited
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Parsed:
    row: int
    values: dict[str, Any]
    materials: list[dict[str, Any]] = field(default_factory=list)


# -- reading and checking ---------------------------------------------------------------------------------------


def upload_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an uploaded file is refused before it is read (type and size), or None."""
    return workbook_upload_problem(name, size, head, limit=max_upload_bytes())


def read_catalogue(data: bytes, errors: list[RowError]) -> dict[str, _Parsed]:
    """The items of the workbook by code, with their materials; every problem found is added to `errors`."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        errors.append(RowError("", 0, "", "文件无法读取：请上传由 Excel 保存的 .xlsx 文件"))
        return {}
    try:
        item_rows = sheet_rows(workbook, ITEMS_SHEET, ITEM_COLUMNS, errors, max_rows=MAX_ROWS)
        material_rows = sheet_rows(workbook, MATERIALS_SHEET, MATERIAL_COLUMNS, errors, max_rows=MAX_ROWS)
    finally:
        workbook.close()
    items: dict[str, _Parsed] = {}
    for number, values, problems in item_rows:
        for name, message in problems.items():
            errors.append(RowError(ITEMS_SHEET, number, header_of(ITEM_COLUMNS, name), message))
        code = values.get("code")
        if code in items:
            message = f"事项编码 {code} 与第 {items[code].row} 行重复"
            errors.append(RowError(ITEMS_SHEET, number, "事项编码", message))
            continue
        if not problems:
            errors.extend(_item_problems(number, values))
        if code:
            items[code] = _Parsed(number, values)
    seen: dict[tuple[str, str], int] = {}
    for number, values, problems in material_rows:
        for name, message in problems.items():
            errors.append(RowError(MATERIALS_SHEET, number, header_of(MATERIAL_COLUMNS, name), message))
        code = values.get("item_code")
        if code and code not in items:
            message = f"事项编码 {code} 不在“{ITEMS_SHEET}”工作表中"
            errors.append(RowError(MATERIALS_SHEET, number, "事项编码", message))
            continue
        key = (code or "", values.get("name", ""))
        if code and key[1] and key in seen:
            message = f"事项 {code} 的材料“{key[1]}”与第 {seen[key]} 行重复"
            errors.append(RowError(MATERIALS_SHEET, number, "材料名称", message))
            continue
        seen[key] = number
        if code and not problems:
            items[code].materials.append(values)
    for parsed in items.values():
        for position, material in enumerate(parsed.materials, start=1):
            material["order"] = material["order"] or position
    return items


def _item_problems(number: int, values: dict[str, Any]) -> list[RowError]:
    """The rules a whole row breaks: the limit pair (the catalogue core's rule) and the item's own."""
    problems = []
    limit = limit_problem(values["statutory_limit"], values["promised_limit"], "working_days")
    if limit is not None:
        problems.append(RowError(ITEMS_SHEET, number, "承诺时限（工作日）", limit[1]))
    for code, message in ServiceItem(**values).catalogue_problems():
        problems.append(RowError(ITEMS_SHEET, number, PROBLEM_COLUMNS.get(code, ""), message))
    return problems


# -- comparing and writing --------------------------------------------------------------------------------------


def _content(values: dict[str, Any], materials: list[dict[str, Any]]) -> tuple[Any, ...]:
    fields = tuple(
        channels_ordered(values[f]) if f == "channels" else values[f] for f in ITEM_FIELDS if f != "code"
    )
    rows = sorted(tuple(m[f] for f in MATERIAL_FIELDS) for m in materials)
    return fields, tuple(rows)


def _stored_content(item: ServiceItem) -> tuple[Any, ...]:
    values = {f: getattr(item, f) for f in ITEM_FIELDS}
    materials = [{f: getattr(m, f) for f in MATERIAL_FIELDS} for m in item.materials.all()]
    return _content(values, materials)


def _latest(versions: list[ServiceItem]) -> ServiceItem | None:
    """What an import compares with: the draft if there is one, else the version published last."""
    draft = next((v for v in versions if v.status == CatalogueStatus.DRAFT), None)
    if draft is not None:
        return draft
    published = [v for v in versions if v.status == CatalogueStatus.PUBLISHED]
    return max(published, key=lambda v: v.version) if published else None


def _write(item: ServiceItem, parsed: _Parsed) -> None:
    for name in ITEM_FIELDS:
        setattr(item, name, parsed.values[name])
    item.channels = channels_ordered(item.channels)
    item.limit_unit = "working_days"
    item.save()
    item.materials.all().delete()
    ServiceMaterial.objects.bulk_create(
        ServiceMaterial(item=item, **{f: m[f] for f in MATERIAL_FIELDS}) for m in parsed.materials
    )


def _publish(item: ServiceItem, *, actor: Actor, current: ServiceItem | None) -> None:
    start = timezone.now().replace(microsecond=0)
    if current is not None and current.valid_from is not None and current.valid_from >= start:
        start = current.valid_from + timedelta(seconds=1)  # two imports within a second
    publish(item, actor=actor, valid_from=start)


def _apply(
    code: str,
    parsed: _Parsed,
    versions: list[ServiceItem],
    *,
    actor: Actor,
    result: ImportResult,
    publish_now: bool,
) -> None:
    latest = _latest(versions)
    current = next(
        (v for v in versions if v.status == CatalogueStatus.PUBLISHED and v.valid_until is None), None
    )
    wanted = _content(parsed.values, parsed.materials)
    if latest is not None and _stored_content(latest) == wanted:
        result.unchanged.append(code)
        draft = latest if latest.status == CatalogueStatus.DRAFT else None
    elif latest is not None and latest.status == CatalogueStatus.DRAFT:
        draft = latest
        _write(draft, parsed)
        result.changed.append(code)
    elif latest is not None:
        draft = new_draft(latest, actor=actor)
        _write(draft, parsed)
        result.changed.append(code)
    else:
        number = (max((v.version for v in versions), default=0)) + 1
        draft = ServiceItem(code=code, version=number, status=CatalogueStatus.DRAFT)
        _write(draft, parsed)
        (result.changed if versions else result.created).append(code)
    if publish_now and draft is not None:
        _publish(draft, actor=actor, current=current)
        result.published.append(code)


def catalogue_import(*, actor: Actor, data: bytes, source: str, publish_now: bool = False) -> ImportResult:
    """Check the whole workbook, then write it in one transaction (nothing at all if any row is wrong).

    With `publish_now` the new and changed versions (and a draft equal to its row) are published at once;
    otherwise they stay drafts to be published from the item's page.
    """
    result = ImportResult(source=source)
    problem = upload_problem(source, len(data), data[:4])
    if problem is not None:
        result.errors.append(RowError("", 0, "", problem))
    else:
        items = read_catalogue(data, result.errors)
        if not items and not result.errors:
            result.errors.append(RowError(ITEMS_SHEET, 0, "", "文件中没有事项"))
    if result.errors:
        _audit(actor, result, outcome=AuditResult.FAILED)
        return result
    try:
        with transaction.atomic():
            versions: dict[str, list[ServiceItem]] = {}
            locked = (
                ServiceItem.objects.select_for_update().filter(code__in=items).order_by("code", "version")
            )
            for version in locked.prefetch_related("materials"):
                versions.setdefault(version.code, []).append(version)
            for code in sorted(items):
                _apply(
                    code,
                    items[code],
                    versions.get(code, []),
                    actor=actor,
                    result=result,
                    publish_now=publish_now,
                )
            _audit(actor, result, outcome=AuditResult.OK)
    except DomainError as exc:
        # A rule of the catalogue core the row checks did not foresee (a concurrent publish): nothing was kept.
        failed = ImportResult(source=source, errors=[RowError("", 0, "", exc.message)])
        _audit(actor, failed, outcome=AuditResult.FAILED)
        return failed
    return result


def _audit(actor: Actor, result: ImportResult, *, outcome: str) -> None:
    detail: dict[str, Any] = {"source": result.source[:200]}
    if result.errors:
        detail["errors"] = len(result.errors)
    else:
        detail |= {
            "created": result.created,
            "changed": result.changed,
            "unchanged": len(result.unchanged),
            "published": result.published,
        }
    audit_record(
        actor=actor,
        action="serviceitem.import",
        object_type="convenience.serviceitem",
        object_repr=result.source[:200],
        result=outcome,
        detail=detail,
    )


# -- export -----------------------------------------------------------------------------------------------------


def _item_cells(item: ServiceItem) -> list[Any]:
    cells: list[Any] = []
    for column in ITEM_COLUMNS:
        value = getattr(item, column.field)
        if column.field in ("kind", "deciding_level"):
            value = getattr(item, f"get_{column.field}_display")()
        elif column.field == "channels":
            value = channels_label(value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif column.field.endswith("_limit"):
            value = None if value is None else (int(value) if value == int(value) else float(value))
        cells.append(value)
    return cells


def _material_cells(item: ServiceItem, material: ServiceMaterial) -> list[Any]:
    return [
        item.code,
        material.order,
        material.name,
        material.get_form_display(),
        material.count,
        material.get_need_display(),
        material.note,
        material.sample,
    ]


def _columns_sheet(
    workbook: Workbook, title: str, columns: tuple[Column, ...], rows: list[list[Any]]
) -> None:
    write_sheet(workbook, title, [c.header for c in columns], [c.width for c in columns], rows)


def catalogue_export(*, actor: Actor, items: QuerySet[ServiceItem]) -> bytes:
    """The workbook of these item versions (one per code), in the layout `catalogue_import` reads."""
    chosen = list(items.order_by("code").prefetch_related("materials"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    _columns_sheet(workbook, ITEMS_SHEET, ITEM_COLUMNS, [_item_cells(i) for i in chosen])
    materials = [_material_cells(i, m) for i in chosen for m in i.materials.all()]
    _columns_sheet(workbook, MATERIALS_SHEET, MATERIAL_COLUMNS, materials)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action="serviceitem.export",
        object_type="convenience.serviceitem",
        object_repr=f"服务事项 {len(chosen)} 项",
        detail={"items": len(chosen), "materials": len(materials)},
    )
    return buffer.getvalue()
