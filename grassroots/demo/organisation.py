"""The demo district's units and platforms: command centre, county departments, and per township the command
room, offices, dispatched agencies, village committees and the four platforms (DOMAIN.md §4, seeds 003 and 004)."""

from dataclasses import dataclass, field

from grassroots.geo.choices import DivisionKind
from grassroots.org.choices import AgencyClass, PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit

from .names import AGENCIES, COUNTY_DEPARTMENTS, DISTRICT_CODE, PLATFORMS, TOWNSHIP_OFFICES
from .places import Places


@dataclass
class Organisation:
    centre: Unit
    departments: dict[str, Unit]  # by code suffix
    units: dict[str, Unit] = field(default_factory=dict)  # township units by code ("330421102-PCS")
    committees: dict[str, Unit] = field(default_factory=dict)  # by village code
    platforms: list[Platform] = field(default_factory=list)

    def township_unit(self, township_code: str, suffix: str) -> Unit:
        return self.units[f"{township_code}-{suffix}"]


def create_organisation(places: Places) -> Organisation:
    district = places.district
    centre = Unit(
        code=f"{DISTRICT_CODE}-ZHZX",
        name="嘉善县社会治理综合指挥中心",
        kind=UnitKind.COMMAND_CENTRE,
        division=district,
    )
    departments = {
        suffix: Unit(
            code=f"{DISTRICT_CODE}-{suffix}", name=name, kind=UnitKind.COUNTY_DEPARTMENT, division=district
        )
        for suffix, name in COUNTY_DEPARTMENTS
    }
    Unit.objects.bulk_create([centre, *departments.values()])
    org = Organisation(centre=centre, departments=departments)

    rows: list[Unit] = []
    for spec, township in zip(places.specs, places.townships, strict=True):
        code = township.code
        rows.append(
            Unit(
                code=f"{code}-ZHS",
                name=f"{township.name}综合信息指挥室",
                kind=UnitKind.COMMAND_ROOM,
                division=township,
            )
        )
        rows.extend(
            Unit(
                code=f"{code}-{suffix}",
                name=f"{township.name}{name}",
                kind=UnitKind.TOWNSHIP_OFFICE,
                division=township,
            )
            for suffix, name, _ in TOWNSHIP_OFFICES
        )
        for agency in AGENCIES:
            street = spec.kind == DivisionKind.STREET
            agency_class = agency.street_class if street and agency.street_class else agency.agency_class
            rows.append(
                Unit(
                    code=f"{code}-{agency.suffix}",
                    name=agency.name.format(short=spec.short),
                    kind=UnitKind.DISPATCHED_AGENCY,
                    agency_class=agency_class,
                    division=township,
                    parent=departments[agency.parent],
                )
            )
        for village in places.villages[code]:
            community = village.kind == DivisionKind.RESIDENTS
            committee = Unit(
                code=f"{village.code}-{'JWH' if community else 'CWH'}",
                name=f"{village.name}{'居民委员会' if community else '村民委员会'}",
                kind=UnitKind.VILLAGE_COMMITTEE,
                division=village,
            )
            org.committees[village.code] = committee
            rows.append(committee)
    Unit.objects.bulk_create(rows)
    org.units = {u.code: u for u in rows if u.kind != UnitKind.VILLAGE_COMMITTEE}
    _create_platforms(places, org)
    return org


def _create_platforms(places: Places, org: Organisation) -> None:
    members: list[tuple[Platform, Unit]] = []
    for township in places.townships:
        for kind in PlatformKind:
            lead, office, member_suffixes = PLATFORMS[kind.value]
            platform = Platform(
                township=township,
                kind=kind,
                lead_unit=org.township_unit(township.code, lead),
                office=org.township_unit(township.code, office),
            )
            org.platforms.append(platform)
            members.extend((platform, org.township_unit(township.code, s)) for s in member_suffixes)
    Platform.objects.bulk_create(org.platforms)
    through = Platform.members.through
    through.objects.bulk_create(through(platform_id=p.pk, unit_id=u.pk) for p, u in members)


def agency_counts(org: Organisation) -> dict[str, int]:
    agencies = [u for u in org.units.values() if u.kind == UnitKind.DISPATCHED_AGENCY]
    return {
        "agencies_a": sum(u.agency_class == AgencyClass.A for u in agencies),
        "agencies_b": sum(u.agency_class == AgencyClass.B for u in agencies),
    }
