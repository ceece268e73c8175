"""The districts bench_assessment.py fills: the demo's grids, units, people and event types loaded once (`World`),
and copies of the demo district under other county codes for a province-scale sample (`clone_districts`).
"""

from typing import Any


def clone_districts(n: int, first: int = 0) -> list[str]:
    """Copies of the demo district's divisions, grids and units under other county codes (province sample): the
    `first`-th copy is 3305{first + 10}, and so on."""
    from django.db import transaction

    from grassroots.geo.models import Division, Grid
    from grassroots.org.models import Unit

    codes = []
    base = "330421"
    with transaction.atomic():
        divisions = list(Division.objects.filter(code__startswith=base).order_by("code"))
        grids = list(Grid.objects.filter(code__startswith=base))
        units = list(Unit.objects.filter(division__code__startswith=base).exclude(kind="county_department"))
        for i in range(first, first + n):
            code = f"3305{i + 10:02d}"
            codes.append(code)
            mapping: dict[int, Division] = {}
            for d in divisions:
                parent = mapping.get(d.parent_id) if d.parent_id else None
                copy = Division.objects.create(
                    code=code + d.code[6:],
                    name=d.name if d.level != "district" else f"模拟{i + 1}县",
                    level=d.level,
                    kind=d.kind,
                    parent=parent or (d.parent if d.level == "district" else None),
                )
                mapping[d.pk] = copy
            Grid.objects.bulk_create(
                Grid(
                    code=code + g.code[6:],
                    name=g.name,
                    village=mapping[g.village_id],
                    kind=g.kind,
                    households=g.households,
                    boundary=g.boundary,
                    min_lon=g.min_lon,
                    min_lat=g.min_lat,
                    max_lon=g.max_lon,
                    max_lat=g.max_lat,
                    label_lon=g.label_lon,
                    label_lat=g.label_lat,
                )
                for g in grids
            )
            Unit.objects.bulk_create(
                Unit(
                    code=code + u.code[6:],
                    name=u.name,
                    kind=u.kind,
                    agency_class=u.agency_class,
                    division=mapping[u.division_id],
                )
                for u in units
            )
    return codes


class World:
    """Grids, units and people of the districts, loaded once."""

    def __init__(self) -> None:
        self.grids: list[dict[str, Any]] = []
        self.committee: dict[int, int] = {}  # village id -> committee unit id
        self.room: dict[int, int] = {}  # township id -> command room unit id
        self.agencies: dict[int, dict[str, int]] = {}  # township id -> suffix -> unit id
        self.centre: dict[str, int] = {}
        self.workers: dict[int, list[int]] = {}  # grid id -> grid worker ids
        self.operator = 0
        self.lead = 0
        self.centre_person = 0
        self.types: list[dict[str, Any]] = []

    @classmethod
    def load(cls, districts: list[str]) -> "World":
        from grassroots.events.models import EventType
        from grassroots.geo.models import Grid
        from grassroots.org.models import Unit
        from grassroots.people.models import Person

        w = cls()
        w.districts = districts  # type: ignore[attr-defined]
        for g in Grid.objects.select_related("village").order_by("code"):
            w.grids.append(
                {
                    "id": g.pk,
                    "code": g.code,
                    "village": g.village_id,
                    "township": g.village.parent_id,
                    "lon": g.label_lon,
                    "lat": g.label_lat,
                }
            )
        for u in Unit.objects.select_related("division"):
            if u.kind == "village_committee":
                w.committee[u.division_id] = u.pk
            elif u.kind == "command_room":
                w.room[u.division_id] = u.pk
            elif u.kind == "command_centre":
                w.centre[u.division.code[:6]] = u.pk
            elif u.kind in ("dispatched_agency", "township_office"):
                w.agencies.setdefault(u.division_id, {})[u.code.split("-")[-1]] = u.pk
        for p in Person.objects.filter(role__in=["grid_worker", "grid_head"]).order_by("pk"):
            if p.grid_id:
                w.workers.setdefault(p.grid_id, []).append(p.pk)
        w.operator = Person.objects.filter(username="operator").values_list("pk", flat=True).first() or 0
        w.lead = Person.objects.filter(username="shiftlead").values_list("pk", flat=True).first() or 0
        w.centre_person = Person.objects.filter(username="centre").values_list("pk", flat=True).first() or 0
        for t in EventType.objects.filter(parent__isnull=False, is_active=True).prefetch_related("limits"):
            limits = {lim.level: (lim.amount, lim.unit) for lim in t.limits.all()}
            w.types.append(
                {
                    "obj": t,
                    "id": t.pk,
                    "code": t.code,
                    "platform": t.platform,
                    "self_fixable": t.self_fixable,
                    "verify_hours": t.verify_hours,
                    "check_hours": t.check_hours,
                    "unit": t.default_unit_suffix,
                    "limits": limits,
                }
            )
        return w

    def part(self, district: str) -> "World":
        part = World()
        part.__dict__.update(self.__dict__)
        part.grids = [g for g in self.grids if g["code"].startswith(district)]
        part.centre_id = self.centre.get(district) or next(iter(self.centre.values()))  # type: ignore[attr-defined]
        return part
