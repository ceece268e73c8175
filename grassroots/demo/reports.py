"""What the demo district reports each day: how many events, when, where, through which channel, of which type.

The platform split is seed 001's (Zhenhai: 便民服务 65.44%, 综合执法 12.18%, 综治 11.13%, 市场监管 2.72%, the
remaining 8.53% spread evenly over the four); most events come from grid patrols, the rest from the hotlines,
the web, visits, letters, village committees and sensors. Only random draws happen here: no database writes.
"""

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from grassroots.events.choices import Source, Urgency
from grassroots.events.models import EventType
from grassroots.geo.geometry import boundary_shape
from grassroots.geo.models import Grid
from grassroots.org.choices import PlatformKind

from .identities import IdentityMaker
from .names import DISTRICT_CODE

_SEED_SHARE = {
    PlatformKind.SERVICE: 65.44,
    PlatformKind.ENFORCEMENT: 12.18,
    PlatformKind.GOVERNANCE: 11.13,
    PlatformKind.MARKET: 2.72,
}
_REST = (100 - sum(_SEED_SHARE.values())) / len(_SEED_SHARE)
PLATFORM_SHARE = {kind: share + _REST for kind, share in _SEED_SHARE.items()}

# Percent of reports by channel on a working day: grid patrols first (seed 002: most problems are found by
# the grid), then the hotlines and the web.
SOURCE_SHARE = {
    Source.PATROL: 52.0,
    Source.HOTLINE_12345: 12.0,
    Source.PHONE: 9.0,
    Source.MAYOR_LINE: 1.0,  # seed 000: the county head's line (县长电话), registered by the command room
    Source.ONLINE: 8.0,
    Source.VILLAGE: 6.0,
    Source.VISIT: 4.0,
    Source.SENSOR: 3.0,
    Source.LETTER: 2.0,
    Source.OPEN311: 1.5,
    Source.STAFF: 1.5,
}
# On rest days the hotlines, the web and the sensors carry on; patrols are the duty grid workers only.
REST_DAY_VOLUME = 0.3
REST_DAY_SOURCES = {
    Source.PATROL: 10.0,
    Source.HOTLINE_12345: 30.0,
    Source.PHONE: 20.0,
    Source.ONLINE: 25.0,
    Source.SENSOR: 10.0,
    Source.OPEN311: 5.0,
}
# Channels that report at any hour; the others only in office hours.
ROUND_THE_CLOCK = frozenset(
    {Source.PHONE, Source.HOTLINE_12345, Source.ONLINE, Source.OPEN311, Source.SENSOR}
)
CITIZEN_SOURCES = frozenset(
    {
        Source.PHONE,
        Source.MAYOR_LINE,
        Source.HOTLINE_12345,
        Source.ONLINE,
        Source.VISIT,
        Source.LETTER,
        Source.OPEN311,
    }
)
ANONYMOUS_SHARE: dict[str, float] = {
    Source.HOTLINE_12345: 0.05,
    Source.ONLINE: 0.15,
    Source.LETTER: 0.2,
    Source.OPEN311: 0.3,
}
# What a camera or meter can notice, per platform.
SENSOR_TYPES = {
    PlatformKind.ENFORCEMENT: ("ZF0502", "ZF0503", "ZF0403", "ZF0302"),
    PlatformKind.GOVERNANCE: ("ZZ0401", "ZZ0601"),
    PlatformKind.SERVICE: ("FW0401", "FW0402", "FW0404"),
    PlatformKind.MARKET: ("SC0402",),
}
# Relative frequency of a type within its platform (1 when not listed).
TYPE_WEIGHT = {
    "ZF0101": 5, "ZF0102": 3, "ZF0201": 4, "ZF0404": 3, "ZF0401": 3, "ZF0402": 2, "ZF0403": 2, "ZF0103": 2,
    "ZZ0101": 4, "ZZ0105": 2, "ZZ0204": 3, "ZZ0401": 3, "ZZ0403": 2, "ZZ0501": 0.3, "ZZ0602": 0.5,
    "ZZ0601": 0.5, "ZZ0603": 0.3, "SC0501": 3, "SC0103": 2, "FW0101": 6, "FW0102": 5, "FW0502": 5,
    "FW0501": 3, "FW0301": 4, "FW0302": 4, "FW0201": 3, "FW0202": 3, "FW0401": 3, "FW0402": 2, "FW0403": 2,
}  # fmt: skip
SOURCE_PREFIX: dict[str, str] = {
    Source.PATROL: "网格员巡查发现：",
    Source.PHONE: "群众来电反映：",
    Source.HOTLINE_12345: "12345热线转办：",
    Source.ONLINE: "网上投诉：",
    Source.VISIT: "群众来访反映：",
    Source.LETTER: "群众来信反映：",
    Source.VILLAGE: "村（社区）上报：",
    Source.SENSOR: "物联感知设备告警：",
    Source.OPEN311: "移动端上报：",
    Source.STAFF: "工作人员录入：",
}
ROADS = (
    "人民路", "解放路", "中山路", "环城路", "胜利路", "建设路", "塘东街", "西园路", "南苑路", "北栅街", "体育路",
    "谈公路", "施家路", "亭桥路", "车站路", "花园路", "晋阳路", "嘉善大道", "善江公路", "秀水路",
)  # fmt: skip


@dataclass(frozen=True)
class GridSpot:
    """A grid to report from: its polygon (prepared for point tests) and the names of the places above it."""

    grid_id: int
    code: str
    name: str
    village_id: int
    village_name: str
    township_id: int
    township_code: str
    shape: BaseGeometry = field(repr=False)
    households: int = 0


@dataclass
class ReportSpec:
    """One report to be filed at `at` (the actor is chosen when it is filed)."""

    key: int
    at: dt.datetime
    source: str
    event_type: EventType
    spot: GridSpot
    lon: float
    lat: float
    title: str
    description: str
    address: str
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    urgency: str = Urgency.NORMAL
    duplicate: bool = False  # filed near a recent open event of the same type (chosen when filed)


def load_spots() -> list[GridSpot]:
    grids = (
        Grid.objects.filter(code__startswith=DISTRICT_CODE, village__parent__isnull=False)
        .select_related("village__parent")
        .order_by("code")
    )
    spots = []
    for grid in grids:
        shape = boundary_shape(grid.boundary)
        shapely.prepare(shape)
        village = grid.village
        township = village.parent
        assert township is not None  # filtered above
        spots.append(
            GridSpot(
                grid_id=grid.pk,
                code=grid.code,
                name=grid.name,
                village_id=village.pk,
                village_name=village.name,
                township_id=township.pk,
                township_code=township.code,
                shape=shape,
                households=grid.households,
            )
        )
    return spots


def point_in(rng: random.Random, shape: BaseGeometry) -> tuple[float, float]:
    """A uniform random point strictly inside the polygon (rejection sampling in its bounding box)."""
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    for _ in range(1000):
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if shapely.contains_xy(shape, lon, lat):
            return round(lon, 6), round(lat, 6)
    point = shape.representative_point()
    return round(point.x, 6), round(point.y, 6)


def point_near(
    rng: random.Random, lon: float, lat: float, *, metres: tuple[float, float]
) -> tuple[float, float]:
    """A point a few metres from (lon, lat): where a second caller says the same problem is."""
    distance, bearing = rng.uniform(*metres), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111_000
    dlon = distance * math.sin(bearing) / (111_000 * math.cos(math.radians(lat)))
    return round(lon + dlon, 6), round(lat + dlat, 6)


class ReportPlanner:
    """Draws each day's reports from one random stream; the same stream and inputs give the same reports."""

    def __init__(
        self,
        rng: random.Random,
        spots: Sequence[GridSpot],
        types: Sequence[EventType],
        windows: Sequence[tuple[int, int]],
    ) -> None:
        self.rng = rng
        self.spots = list(spots)
        self.spot_weights = [s.households for s in self.spots]
        self.windows = list(windows)  # working hours as (start, end) seconds after midnight
        self.types = {kind: [t for t in types if t.platform == kind] for kind in PlatformKind}
        self.type_weights = {
            kind: [TYPE_WEIGHT.get(t.code, 1) for t in of_kind] for kind, of_kind in self.types.items()
        }
        self.by_code = {t.code: t for t in types}
        self.identities = IdentityMaker(random.Random(rng.random()))
        self.next_key = 1

    def volume(self, workday: bool, per_day: int) -> int:
        mean = per_day * (1 if workday else REST_DAY_VOLUME)
        return max(0, round(mean * self.rng.uniform(0.85, 1.15)))

    def source(self, workday: bool) -> str:
        shares = SOURCE_SHARE if workday else REST_DAY_SOURCES
        return self.rng.choices(list(shares), list(shares.values()))[0]

    def platform(self) -> str:
        return self.rng.choices(list(PLATFORM_SHARE), list(PLATFORM_SHARE.values()))[0]

    def event_type(self, platform: str, source: str) -> EventType:
        if source == Source.SENSOR:
            return self.by_code[self.rng.choice(SENSOR_TYPES[PlatformKind(platform)])]
        return self.rng.choices(
            self.types[PlatformKind(platform)], self.type_weights[PlatformKind(platform)]
        )[0]

    def moment(self, day: dt.date, source: str, workday: bool, tz: dt.tzinfo) -> dt.datetime:
        """When in the day a report of this channel arrives: office hours, or (hotlines, web) at any hour."""
        if source in ROUND_THE_CLOCK and (not workday or self.rng.random() < 0.25):
            second = (
                self.rng.randrange(7 * 3600, 22 * 3600)
                if self.rng.random() < 0.85
                else self.rng.randrange(86_400)
            )
        else:
            total = sum(end - start for start, end in self.windows)
            offset = self.rng.randrange(total)
            for start, end in self.windows:
                if offset < end - start:
                    second = start + offset
                    break
                offset -= end - start
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        return (midnight + dt.timedelta(seconds=second)).astimezone(dt.UTC)

    def day(self, day: dt.date, *, workday: bool, per_day: int, tz: dt.tzinfo) -> list[ReportSpec]:
        specs = []
        for _ in range(self.volume(workday, per_day)):
            source = self.source(workday)
            spec = self.make(
                at=self.moment(day, source, workday, tz),
                source=source,
                event_type=self.event_type(self.platform(), source),
            )
            spec.duplicate = source in CITIZEN_SOURCES and self.rng.random() < 0.06
            specs.append(spec)
        specs.sort(key=lambda s: (s.at, s.key))
        return specs

    def make(
        self,
        *,
        at: dt.datetime,
        source: str,
        event_type: EventType,
        spot: GridSpot | None = None,
        point: tuple[float, float] | None = None,
    ) -> ReportSpec:
        rng = self.rng
        spot = spot or rng.choices(self.spots, self.spot_weights)[0]
        lon, lat = point or point_in(rng, spot.shape)
        road = rng.choice(ROADS)
        address = f"{spot.village_name}{road}{rng.randint(1, 399)}号附近"
        keyword = rng.choice(event_type.keywords.split() or [event_type.name])
        description = f"{SOURCE_PREFIX.get(source, '')}{address}{event_type.name}（{keyword}），请核实处理。"
        urgency = Urgency.NORMAL
        if rng.random() < 0.08:
            urgency = Urgency.URGENT if rng.random() < 0.8 else Urgency.CRITICAL
        spec = ReportSpec(
            key=self.next_key,
            at=at,
            source=source,
            event_type=event_type,
            spot=spot,
            lon=lon,
            lat=lat,
            title=f"{spot.village_name}{road}{event_type.name}",
            description=description,
            address=address,
            urgency=urgency,
        )
        self.next_key += 1
        if source in CITIZEN_SOURCES:
            spec.anonymous = rng.random() < ANONYMOUS_SHARE.get(source, 0)
            if not spec.anonymous:
                identity = self.identities.make(min_age=20, max_age=75)
                spec.reporter_name, spec.reporter_phone = identity.name, identity.phone
        return spec
