"""Writes on divisions and grids: one at a time, or a whole imported file that is checked completely first.

Every write is atomic and audited in the same transaction; a rejected write raises `GeoValidationError` with
every problem found and changes nothing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypedDict, TypeVar

from django.db import transaction

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_entry_build, audit_record, audit_record_many
from grassroots.people.actors import Actor

from .codes import LEVEL_BY_LENGTH
from .geometry import boundary_errors, boundary_fields, boundary_normalised, boundary_shape
from .models import Division, Grid
from .validation import division_errors, grid_errors, overlaps_among, overlaps_with_existing


class GeoValidationError(Exception):
    """The problems (in Chinese) that stopped a write; nothing was changed."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class DivisionRow:
    """One division read from an import file; `label` says where it was ("第 3 行", "第 2 个要素")."""

    label: str
    code: str
    name: str
    kind: str
    parent_code: str = ""
    valid_from: dt.date | None = None
    # Problems found while reading the row (a value that could not be parsed).
    errors: list[str] = field(default_factory=list)
    # True when the row could not be read at all: only `errors` are reported, the fields mean nothing.
    unreadable: bool = False


@dataclass
class GridRow:
    """One grid read from an import file; `boundary` is None when it could not be read."""

    label: str
    code: str
    name: str
    village_code: str
    households: int | None
    kind: str
    boundary: dict[str, Any] | None
    errors: list[str] = field(default_factory=list)
    unreadable: bool = False


RowT = TypeVar("RowT", DivisionRow, GridRow)


@dataclass(frozen=True)
class ImportSummary:
    source: str
    created: int
    updated: int
    unchanged: int
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def division_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Division | None = None,
    valid_from: dt.date | None = None,
) -> Division:
    errors = division_errors(code=code, name=name, kind=kind, parent_code=parent.code if parent else None)
    if parent is not None and parent.valid_to is not None:
        errors.append(f"上级区划“{parent}”已于 {parent.valid_to:%Y-%m-%d} 失效")
    if Division.objects.filter(code=code, valid_to__isnull=True).exists():
        errors.append(f"区划代码“{code}”已存在")
    if errors:
        raise GeoValidationError(errors)
    division = _division_build(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from)
    division.save()
    audit_record(actor=actor, action="division.create", obj=division, detail={"code": code})
    return division


@transaction.atomic
def grid_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    village: Division,
    boundary: dict[str, Any],
    households: int,
    kind: str,
) -> Grid:
    """Create the grid with this code, or update it; its boundary may not overlap another grid's."""
    errors = grid_errors(
        code=code,
        name=name,
        village_code=village.code,
        village=village,
        households=households,
        kind=kind,
    ) + boundary_errors(boundary)
    if not errors:
        for _, other, area in overlaps_with_existing([boundary_shape(boundary)], exclude_codes=[code]):
            errors.append(_overlap_message(other, area))
    if errors:
        raise GeoValidationError(errors)
    values: _GridFields = {
        "name": name,
        "village": village,
        "boundary": boundary,
        "households": households,
        "kind": kind,
    }
    grid = Grid.objects.select_for_update().filter(code=code).first()
    if grid is None:
        grid = _grid_apply(Grid(code=code), values)
        grid.save()
        audit_record(actor=actor, action="grid.create", obj=grid, detail={"code": code})
    elif changed := _grid_changes(grid, values):
        _grid_apply(grid, values).save()
        audit_record(actor=actor, action="grid.update", obj=grid, detail={"code": code, "fields": changed})
    return grid


@transaction.atomic
def division_import_batch(
    *, actor: Actor, rows: Sequence[DivisionRow], source: str, dry_run: bool = False
) -> ImportSummary:
    """Import divisions all or nothing. A parent may come from the database or anywhere in the same batch.

    A code already present keeps its kind and parent; only its name may change.
    """
    problems = _Problems(rows)
    readable = problems.readable()
    first_row = problems.duplicates(readable)
    wanted = {row.code for _, row in readable} | {row.parent_code for _, row in readable if row.parent_code}
    existing = {
        d.code: d
        for d in Division.objects.filter(code__in=wanted, valid_to__isnull=True).select_related("parent")
    }
    for i, row in readable:
        problems.extend(
            i,
            division_errors(code=row.code, name=row.name, kind=row.kind, parent_code=row.parent_code or None),
        )
        if row.parent_code and row.parent_code not in first_row and row.parent_code not in existing:
            problems.add(i, f"上级区划代码“{row.parent_code}”不存在（数据库和本文件中都没有）")
        stored = existing.get(row.code)
        if stored is not None:
            stored_parent = stored.parent.code if stored.parent else ""
            if stored.kind != row.kind or stored_parent != row.parent_code:
                problems.add(
                    i,
                    f"区划代码“{row.code}”已存在（类型“{stored.kind}”，上级“{stored_parent or '无'}”），"
                    "导入只能修改名称",
                )
    problems.raise_if_any()

    created = updated = unchanged = 0
    entries: list[AuditEntry] = []
    detail = {"import": source}
    # Parents before children, whatever order the file had.
    for row in sorted(rows, key=lambda r: (len(r.code), r.code)):
        stored = existing.get(row.code)
        if stored is None:
            parent = existing.get(row.parent_code) if row.parent_code else None
            division = _division_build(
                code=row.code, name=row.name, kind=row.kind, parent=parent, valid_from=row.valid_from
            )
            if not dry_run:
                division.save()
                entries.append(
                    audit_entry_build(actor=actor, action="division.create", obj=division, detail=detail)
                )
            existing[row.code] = division
            created += 1
        elif stored.name != row.name:
            if not dry_run:
                stored.name = row.name
                stored.save(update_fields=["name"])
                entries.append(
                    audit_entry_build(
                        actor=actor,
                        action="division.update",
                        obj=stored,
                        detail=detail | {"fields": ["name"]},
                    )
                )
            updated += 1
        else:
            unchanged += 1
    summary = ImportSummary(
        source=source, created=created, updated=updated, unchanged=unchanged, dry_run=dry_run
    )
    if not dry_run:
        audit_record_many(entries)
        _audit_import(actor=actor, action="division.import", object_type="geo.division", summary=summary)
    return summary


@transaction.atomic
def grid_import_batch(
    *, actor: Actor, rows: Sequence[GridRow], source: str, dry_run: bool = False
) -> ImportSummary:
    """Create or update grids by code, all or nothing. No two grids may overlap afterwards.

    The villages must already exist. Stored grids named in the batch are judged by their new boundary.
    """
    problems = _Problems(rows)
    readable = problems.readable()
    problems.duplicates(readable)
    village_codes = {row.village_code for _, row in readable}
    villages = {d.code: d for d in Division.objects.filter(code__in=village_codes, valid_to__isnull=True)}
    shapes: dict[int, Any] = {}
    for i, row in readable:
        problems.extend(
            i,
            grid_errors(
                code=row.code,
                name=row.name,
                village_code=row.village_code,
                village=villages.get(row.village_code),
                # A count that could not be read is already in row.errors.
                households=0 if row.households is None else row.households,
                kind=row.kind,
            ),
        )
        if row.boundary is not None:
            boundary_problems = boundary_errors(row.boundary)
            problems.extend(i, boundary_problems)
            if not boundary_problems:
                shapes[i] = boundary_shape(row.boundary)

    order = list(shapes)
    geoms = [shapes[i] for i in order]
    for a, b, area in overlaps_among(geoms):
        problems.add(
            order[b], f"与{rows[order[a]].label}的网格“{rows[order[a]].code}”重叠约 {area:,.0f} 平方米"
        )
    for a, other, area in overlaps_with_existing(geoms, exclude_codes={row.code for row in rows}):
        problems.add(order[a], _overlap_message(other, area))
    problems.raise_if_any()

    stored = {g.code: g for g in Grid.objects.select_for_update().filter(code__in=[row.code for row in rows])}
    created = updated = unchanged = 0
    entries: list[AuditEntry] = []
    for row in rows:
        # Rows whose boundary or household count could not be read were rejected above.
        assert row.boundary is not None and row.households is not None
        values: _GridFields = {
            "name": row.name,
            "village": villages[row.village_code],
            "boundary": row.boundary,
            "households": row.households,
            "kind": row.kind,
        }
        grid = stored.get(row.code)
        if grid is None:
            created += 1
            if not dry_run:
                grid = _grid_apply(Grid(code=row.code), values)
                grid.save()
                entries.append(
                    audit_entry_build(actor=actor, action="grid.create", obj=grid, detail={"import": source})
                )
        elif changed := _grid_changes(grid, values):
            updated += 1
            if not dry_run:
                _grid_apply(grid, values).save()
                detail = {"import": source, "fields": changed}
                entries.append(audit_entry_build(actor=actor, action="grid.update", obj=grid, detail=detail))
        else:
            unchanged += 1
    summary = ImportSummary(
        source=source, created=created, updated=updated, unchanged=unchanged, dry_run=dry_run
    )
    if not dry_run:
        audit_record_many(entries)
        _audit_import(actor=actor, action="grid.import", object_type="geo.grid", summary=summary)
    return summary


class _Problems(Generic[RowT]):
    """Problems keyed by row, reported in file order with the row's label in front."""

    def __init__(self, rows: Sequence[RowT]) -> None:
        self.rows: Sequence[RowT] = rows
        self.found: list[tuple[int, str]] = []
        for i, row in enumerate(rows):
            self.extend(i, row.errors)

    def readable(self) -> list[tuple[int, RowT]]:
        """The rows whose fields can be checked, with their positions."""
        return [(i, row) for i, row in enumerate(self.rows) if not row.unreadable]

    def add(self, i: int, message: str) -> None:
        self.found.append((i, f"{self.rows[i].label}：{message}"))

    def extend(self, i: int, messages: list[str]) -> None:
        for message in messages:
            self.add(i, message)

    def duplicates(self, rows: list[tuple[int, RowT]]) -> dict[str, int]:
        """Report every repeated code where it repeats; return where each code first appears."""
        first: dict[str, int] = {}
        for i, row in rows:
            if row.code in first:
                self.add(i, f"代码“{row.code}”与{self.rows[first[row.code]].label}重复")
            else:
                first[row.code] = i
        return first

    def raise_if_any(self) -> None:
        if self.found:
            raise GeoValidationError([message for _, message in sorted(self.found, key=lambda item: item[0])])


def _division_build(
    *, code: str, name: str, kind: str, parent: Division | None, valid_from: dt.date | None
) -> Division:
    division = Division(code=code, name=name, level=LEVEL_BY_LENGTH[len(code)], kind=kind, parent=parent)
    if valid_from is not None:
        division.valid_from = valid_from
    return division


class _GridFields(TypedDict):
    """What a grid write sets, besides the code."""

    name: str
    village: Division
    boundary: dict[str, Any]
    households: int
    kind: str


def _grid_changes(grid: Grid, values: _GridFields) -> list[str]:
    """The fields these values would change on a stored grid."""
    new = values | {"boundary": boundary_normalised(values["boundary"])}
    return sorted(
        name
        for name, value in new.items()
        if (grid.village_id != value.pk if name == "village" else getattr(grid, name) != value)
    )


def _grid_apply(grid: Grid, values: _GridFields) -> Grid:
    """Set the values, the stored form of the boundary and the fields derived from it (unsaved)."""
    boundary = boundary_normalised(values["boundary"])
    grid.name = values["name"]
    grid.village = values["village"]
    grid.households = values["households"]
    grid.kind = values["kind"]
    grid.boundary = boundary
    for attr, value in boundary_fields(boundary).items():
        setattr(grid, attr, value)
    return grid


def _overlap_message(other: Grid, area: float) -> str:
    return f"与已有网格“{other.name}（{other.code}）”重叠约 {area:,.0f} 平方米"


def _audit_import(*, actor: Actor, action: str, object_type: str, summary: ImportSummary) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_repr=summary.source[:200],
        detail={
            "file": summary.source,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
        },
    )
