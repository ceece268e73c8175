"""The demo district's market entities (市场监管 registry): 1,100 in 魏塘街道 (the stand-in for 望亭's "1,000+
enterprises", seed 002) and 320 in 西塘镇, placed in the demo grids, with valid USCCs under the district code,
licences (some expiring, some expired) and a few 经营异常名录 listings; written in bulk, one summary audit row."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from grassroots.audit.services import audit_record
from grassroots.core.checkdigits import USCC_ALPHABET, uscc_build
from grassroots.geo.models import Grid
from grassroots.market.choices import (
    AbnormalReason,
    Demonstration,
    EntityKind,
    EntityStatus,
    FoodClass,
    LicenceKind,
)
from grassroots.market.models import AbnormalListing, Licence, MarketEntity
from grassroots.market.services.risk import risk_compute
from grassroots.market.services.workdays import LIST_WITHIN_WORKING_DAYS, add_working_days
from grassroots.workcal.calendar import local_today

from .names import DISTRICT_CODE

# Township code → (name prefix, entities).
TOWNSHIPS = {"330421001": ("魏塘", 1100), "330421102": ("西塘", 320)}
SURNAMES = "沈陈王张李徐周吴钱孙朱顾金陆姚蒋俞杨"
GIVEN = "建国伟明芳丽华强军英红斌平杰磊静敏涛亮琴"
WORDS = "兴旺鑫盛华隆恒达福源顺祥嘉禾新锦宏泰永丰"
STREETS = ["解放东路", "体育南路", "中山西路", "南苑路", "塘东街", "西园路", "花园路", "施家南路", "亭桥路"]


@dataclass(frozen=True)
class Trade:
    code: str  # GB/T 4754
    industry: str
    suffix: str  # the end of the entity's name
    food: str
    weight: int
    licence: str | None


TRADES = [
    Trade("F5211", "百货零售", "百货商店", FoodClass.SALES, 10, LicenceKind.FOOD_BUSINESS),
    Trade("F5212", "超级市场零售", "超市", FoodClass.SALES, 6, LicenceKind.FOOD_BUSINESS),
    Trade("H6210", "正餐服务", "饭店", FoodClass.CATERING_LARGE, 5, LicenceKind.FOOD_BUSINESS),
    Trade("H6220", "快餐服务", "小吃店", FoodClass.CATERING_SMALL, 12, LicenceKind.SMALL_CATERING),
    Trade("H6241", "茶馆服务", "茶楼", FoodClass.CATERING_SMALL, 3, LicenceKind.SMALL_CATERING),
    Trade("C1391", "食品加工", "食品厂", FoodClass.PRODUCTION, 3, LicenceKind.FOOD_PRODUCTION),
    Trade("F5251", "药品零售", "大药房", FoodClass.NONE, 3, LicenceKind.DRUG_RETAIL),
    Trade("C3311", "金属结构制造", "五金制品有限公司", FoodClass.NONE, 8, LicenceKind.SPECIAL_EQUIPMENT),
    Trade("C2438", "木制家具制造", "家具有限公司", FoodClass.NONE, 6, None),
    Trade("C1810", "机织服装制造", "服饰有限公司", FoodClass.NONE, 6, None),
    Trade("F5123", "五金产品批发", "贸易有限公司", FoodClass.NONE, 7, None),
    Trade("O8010", "理发及美容服务", "美发店", FoodClass.NONE, 8, None),
    Trade("O8111", "汽车修理与维护", "汽车维修店", FoodClass.NONE, 4, None),
    Trade("E4910", "电气安装", "电器安装部", FoodClass.NONE, 3, None),
    Trade("A0141", "蔬菜种植", "果蔬专业合作社", FoodClass.NONE, 2, None),
]


def demo_entities() -> QuerySet[MarketEntity]:
    """The entities registered under the demo district's code by the market-supervision authority."""
    return MarketEntity.objects.filter(uscc__regex=rf"^9[123]{DISTRICT_CODE}")


def delete_demo_market() -> None:
    """The demo's entities (their licences and listings go with them), their inspections and draws first."""
    from .market_inspections import delete_demo_inspections

    delete_demo_inspections()
    demo_entities().delete()


def build_demo_market(*, seed: int) -> int:
    """Build the entities (nothing if the demo already has some); the number built."""
    if demo_entities().exists():
        return 0
    rng = random.Random(f"{seed}:market")
    today = local_today()
    entities: list[MarketEntity] = []
    licences: list[tuple[int, Licence]] = []
    listings: list[tuple[int, AbnormalListing]] = []
    serial = 0
    codes: set[str] = set()
    for township, (short, count) in TOWNSHIPS.items():
        grids = list(
            Grid.objects.filter(code__startswith=township).select_related("village").order_by("code")
        )
        if not grids:
            continue
        for _ in range(count):
            serial += 1
            trade = rng.choices(TRADES, weights=[t.weight for t in TRADES])[0]
            kind = _kind(trade, rng)
            grid = rng.choice(grids)
            lon = grid.label_lon + rng.uniform(-0.0004, 0.0004)
            lat = grid.label_lat + rng.uniform(-0.0004, 0.0004)
            type_digit = {"individual": "2", "cooperative": "3"}.get(str(kind), "1")
            uscc = ""
            while not uscc or uscc in codes:
                org_body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
                uscc = uscc_build(authority="9", kind=type_digit, division=DISTRICT_CODE, org_body=org_body)
            codes.add(uscc)
            registered = today - dt.timedelta(days=rng.randint(60, 20 * 365))
            name = f"嘉善县{short}{rng.choice(WORDS)}{rng.choice(WORDS)}{trade.suffix}"
            if kind == EntityKind.INDIVIDUAL:
                name = f"嘉善县{short}{rng.choice(SURNAMES)}记{trade.suffix}"
            entity = MarketEntity(
                uscc=uscc,
                name=f"{name}{serial}" if serial % 7 == 0 else name,
                kind=kind,
                legal_rep=rng.choice(SURNAMES)
                + rng.choice(GIVEN)
                + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
                phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                address=f"嘉善县{short}{rng.choice(STREETS)}{rng.randint(1, 399)}号",
                lon=lon,
                lat=lat,
                region_code=grid.village.code,
                grid=grid,
                industry_code=trade.code,
                industry_name=trade.industry,
                status=_status(rng),
                registered_on=registered,
                food_class=trade.food,
                demonstration=_demonstration(trade, rng),
                key_tags=_tags(trade, rng),
            )
            entities.append(entity)
            index = len(entities) - 1
            if trade.licence is not None:
                valid_to = today + dt.timedelta(days=rng.randint(-60, 5 * 365))
                number = f"{'JY' if trade.food != FoodClass.NONE else 'XK'}{DISTRICT_CODE}{serial:07d}"
                licences.append(
                    (
                        index,
                        Licence(
                            kind=trade.licence,
                            number=number,
                            issuer="嘉善县市场监督管理局",
                            valid_from=valid_to - dt.timedelta(days=5 * 365),
                            valid_to=valid_to,
                        ),
                    )
                )
            if rng.random() < 0.03:
                listings.append((index, _listing(rng, today)))
    with transaction.atomic():
        MarketEntity.objects.bulk_create(entities, batch_size=500)
        seen = {entity.uscc for entity in entities}
        stored = dict(MarketEntity.objects.filter(uscc__in=seen).values_list("uscc", "pk"))
        for index, licence in licences:
            licence.entity_id = stored[entities[index].uscc]
        Licence.objects.bulk_create([licence for _, licence in licences], batch_size=500)
        for index, listing in listings:
            listing.entity_id = stored[entities[index].uscc]
        AbnormalListing.objects.bulk_create([listing for _, listing in listings], batch_size=500)
        classify_entities(list(stored.values()))
        audit_record(
            actor=None,
            action="demo.market",
            object_type="geo.division",
            object_id=DISTRICT_CODE,
            object_repr="市场监管演示市场主体",
            detail={
                "seed": seed,
                "entities": len(entities),
                "licences": len(licences),
                "listings": len(listings),
            },
        )
    return len(entities)


def _kind(trade: Trade, rng: random.Random) -> str:
    if trade.code.startswith("A"):
        return EntityKind.COOPERATIVE
    if "有限公司" in trade.suffix or (trade.suffix == "超市" and rng.random() < 0.5):
        return EntityKind.BRANCH if rng.random() < 0.05 else EntityKind.ENTERPRISE
    return EntityKind.INDIVIDUAL if rng.random() < 0.7 else EntityKind.ENTERPRISE


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return (
        EntityStatus.DEREGISTERED
        if roll < 0.04
        else EntityStatus.REVOKED
        if roll < 0.05
        else EntityStatus.OPERATING
    )


def _demonstration(trade: Trade, rng: random.Random) -> str:
    if trade.food == FoodClass.NONE or rng.random() > 0.1:
        return Demonstration.NONE
    return rng.choice([Demonstration.STREET, Demonstration.STREET, Demonstration.COUNTY, Demonstration.CITY])


def _tags(trade: Trade, rng: random.Random) -> list[str]:
    if trade.code == "F5212" and rng.random() < 0.3:
        return ["large_supermarket", "cold_chain"]
    if trade.code == "C3311" and rng.random() < 0.2:
        return ["special_equipment"]
    return []


def _listing(rng: random.Random, today: dt.date) -> AbnormalListing:
    reason = rng.choice(list(AbnormalReason))
    triggered = today - dt.timedelta(days=rng.randint(20, 400))
    listed = triggered + dt.timedelta(days=rng.randint(3, 14))
    removed = rng.random() < 0.3
    return AbnormalListing(
        reason=reason,
        triggered_on=triggered,
        list_due_on=add_working_days(triggered, LIST_WITHIN_WORKING_DAYS),
        listed_on=listed,
        removed_on=listed + dt.timedelta(days=rng.randint(10, 60)) if removed else None,
        removal_reason="已履行相关义务，申请移出" if removed else "",
    )


def classify_entities(ids: list[int]) -> None:
    """The computed class of every entity, written in bulk where it changed (the services' `risk_refresh` writes
    one row at a time). Prefetches what the rule reads: licences, listings, penalties, inspections and findings."""
    rows = MarketEntity.objects.filter(pk__in=ids).prefetch_related(
        "licences", "abnormal_listings", "penalties", "inspections__findings"
    )
    changed = []
    for entity in rows:
        computed, reasons = risk_compute(entity)
        effective = entity.risk_override or computed
        if (computed, reasons, effective) != (entity.risk_computed, entity.risk_reasons, entity.risk_class):
            entity.risk_computed, entity.risk_reasons, entity.risk_class = computed, reasons, effective
            changed.append(entity)
    MarketEntity.objects.bulk_update(changed, ["risk_computed", "risk_reasons", "risk_class"], batch_size=500)
