"""The subjects a figure is counted for (districts, townships, villages, grids, platforms, units, people) in an
area, with the names and codes the tables show."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from grassroots.geo.choices import DivisionLevel
from grassroots.geo.codes import code_at, district_of
from grassroots.geo.models import Division, Grid
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import GRID_ROLES
from grassroots.people.models import Person

from .areas import Area
from .choices import SubjectKind


@dataclass
class Subject:
    key: str
    name: str
    code: str = ""  # for ordering and display: division/grid/unit code, username, platform
    parent: str = ""  # the township (or unit kind) shown beside the name


def _division_subjects(level: str, area: Area) -> list[Subject]:
    rows = Division.objects.filter(level=level, valid_to__isnull=True)
    if area.code:
        rows = rows.filter(Q(code__startswith=area.code) | Q(code=code_at(area.code, level)))
    rows = rows.select_related("parent").order_by("code")
    return [
        Subject(str(d.pk), d.name, d.code, d.parent.name if level == "village" and d.parent else "")
        for d in rows
    ]


def subjects_of(
    kind: str, area: Area, extra_keys: Iterable[str | None] = (), *, only_extra: bool = False
) -> list[Subject]:
    """The subjects of `kind` in the area, plus any that the figures name from outside it (a county unit
    handling events in the area). Ordered by code. `only_extra` with no area: just the named ones (units)."""
    extra = {k for k in extra_keys if k is not None}
    subjects: list[Subject]
    if kind == SubjectKind.DISTRICT:
        rows = Division.objects.filter(level=DivisionLevel.DISTRICT, valid_to__isnull=True)
        if area.code:
            rows = rows.filter(code=district_of(area.code))
        subjects = [Subject(d.code, d.name, d.code) for d in rows.order_by("code")]
        known = {s.key for s in subjects}
        subjects += [Subject(k, k, k) for k in sorted(extra - known)]
        return subjects
    if kind in (SubjectKind.TOWNSHIP, SubjectKind.VILLAGE):
        level = DivisionLevel.TOWNSHIP if kind == SubjectKind.TOWNSHIP else DivisionLevel.VILLAGE
        subjects = _division_subjects(level, area)
        known = {s.key for s in subjects}
        missing = [int(k) for k in extra - known if k.isdigit()]
        subjects += [
            Subject(str(d.pk), d.name, d.code)
            for d in Division.objects.filter(pk__in=missing).order_by("code")
        ]
        return subjects
    if kind == SubjectKind.GRID:
        return _grid_subjects(area, extra)
    if kind == SubjectKind.PLATFORM:
        return [Subject(k.value, str(k.label), k.value) for k in PlatformKind]
    if kind == SubjectKind.UNIT:
        return _unit_subjects(area, extra, only_extra)
    if kind == SubjectKind.PERSON:
        return _person_subjects(area, extra)
    raise ValueError(kind)


def _grid_subjects(area: Area, extra: set[str]) -> list[Subject]:
    grids = Grid.objects.select_related("village").order_by("code")
    if area.code:
        grids = grids.filter(code__startswith=area.code)
    subjects = [Subject(str(g.pk), g.name, g.code, g.village.name) for g in grids]
    known = {s.key for s in subjects}
    missing = [int(k) for k in extra - known if k.isdigit()]
    subjects += [
        Subject(str(g.pk), g.name, g.code, g.village.name)
        for g in Grid.objects.filter(pk__in=missing).select_related("village").order_by("code")
    ]
    return subjects


# Past this many units an `IN` list costs more to build than reading every unit and keeping the wanted ones.
LONG_IN = 200


def _unit_subjects(area: Area, extra: set[str], only_extra: bool) -> list[Subject]:
    handling = Unit.objects.exclude(kind__in=[UnitKind.COMMAND_ROOM, UnitKind.COMMAND_CENTRE])
    ids = {int(k) for k in extra if k.isdigit()}
    every = not area.code and not only_extra

    def wanted(pk: int, division: str | None) -> bool:
        return every or pk in ids or (bool(area.code) and (division or "").startswith(area.code))

    q = Q()  # every unit, or a long list of them picked below
    if not every and len(ids) <= LONG_IN:
        q = Q(pk__in=ids)
        if area.code:
            q |= Q(division__code__startswith=area.code)
    rows = handling.filter(q).order_by("code").values_list("pk", "name", "code", "kind", "division__code")
    kinds = {kind: str(label) for kind, label in UnitKind.choices}
    return [
        Subject(str(pk), name, code, kinds.get(kind, ""))
        for pk, name, code, kind, division in rows
        if wanted(pk, division)
    ]


def _person_subjects(area: Area, extra: set[str]) -> list[Subject]:
    q = Q(pk__in=[int(k) for k in extra if k.isdigit()])
    grid_people = Q(role__in=sorted(GRID_ROLES - {"volunteer"}), is_active=True)
    if area.code:
        grid_people &= Q(region_code__startswith=area.code)
    people = Person.objects.filter(q | grid_people).select_related("grid").order_by("region_code", "username")
    return [Subject(str(p.pk), p.name, p.username, p.grid.name if p.grid else "") for p in people]
