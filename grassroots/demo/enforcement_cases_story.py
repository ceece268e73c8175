"""What happens to each of the demo year's enforcement cases (`enforcement_cases.py` runs it): its fate drawn from
the seed — decided on the spot, not filed, a penalty after the general procedure (some major, some heard, some paid
late or sent to the court), no penalty, or transfer to the judiciary — and the words of its facts and place."""

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from grassroots.enforcement.choices import NoFilingGround
from grassroots.enforcement.models import Power

GENERAL = frozenset({"penalty", "no_penalty"})
# (fate, weight) of a case that is not one of the stalled few
FATE_WEIGHTS = (("simple", 34), ("not_filed", 7), ("penalty", 52), ("no_penalty", 7))
ROADS = (
    ("南苑路", 120.8932, 30.9398),
    ("塘东街", 120.8911, 30.9453),
    ("西园路", 120.8856, 30.9427),
    ("环镇北路", 120.8870, 30.9502),
    ("朝南埭", 120.8948, 30.9441),
    ("烟雨长廊", 120.8925, 30.9460),
    ("民主路", 120.8893, 30.9415),
    ("胥塘路", 120.8812, 30.9389),
)
NO_FILING_REASONS = {
    NoFilingGround.MINOR_CORRECTED: "经核查，当事人违法行为轻微并已当场改正，未造成危害后果",
    NoFilingGround.FIRST_OFFENCE: "经核查，当事人系初次违法，危害后果轻微并已及时改正",
    NoFilingGround.NO_FAULT: "当事人提供的证据足以证明其没有主观过错",
    NoFilingGround.OTHER: "经核查，反映的问题不属于本中队管辖，已移交有关部门",
}
NO_PENALTY_REASONS = {
    "no_penalty_minor": "当事人违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚",
    "no_penalty_unproven": "经调查，违法事实不能成立，依法不予行政处罚",
    "transfer": "当事人涉嫌犯罪，依法移送公安机关",
}


@dataclass
class Story:
    fate: str  # simple, not_filed, penalty, no_penalty
    organisation: bool
    kind: str = "fine"  # of a penalty: fine or warning
    amount: Decimal | None = None  # on the spot
    level: str = "general"
    major: bool = False
    hearing: bool = False
    extend: bool = False
    late: bool = False
    enforced: bool = False
    stall: str = ""  # "lead" or "case": left where it is, past its limit
    archived: bool = True  # once closed (or not filed): the file archived some weeks later
    outcome: str = "penalty"
    ground: str = ""
    ground_reason: str = ""
    event: Any = None


def story_of(rng: random.Random, n: int, count: int) -> Story:
    """The `n`th case of `count`: the first few stall (leads left unverified, cases left uninvestigated past their
    limits), the rest drawn by weight."""
    stalled_leads, stalled_cases = 2 + count // 200, 3 + count // 100
    organisation = rng.random() < 0.3
    if n < stalled_leads:
        return Story("penalty", organisation, stall="lead")
    if n < stalled_leads + stalled_cases:
        return Story("penalty", organisation, stall="case")
    fate = rng.choices([f for f, _ in FATE_WEIGHTS], weights=[w for _, w in FATE_WEIGHTS])[0]
    story = Story(fate, organisation)
    if fate == "simple":
        if rng.random() < 0.2:
            story.kind, story.amount = "warning", None
        elif organisation:
            story.amount = Decimal(100 * rng.randint(2, 30))
        else:
            story.amount = Decimal(50 * rng.randint(1, 4))
    elif fate == "not_filed":
        story.ground = rng.choice(list(NoFilingGround.values))
        story.ground_reason = NO_FILING_REASONS[NoFilingGround(story.ground)]
    elif fate == "no_penalty":
        story.outcome = rng.choices(list(NO_PENALTY_REASONS), weights=[6, 3, 1])[0]
        story.ground_reason = NO_PENALTY_REASONS[story.outcome]
    else:
        story.kind = "warning" if rng.random() < 0.1 else "fine"
        story.level = rng.choices(["lighter", "general", "heavier"], weights=[30, 55, 15])[0]
        story.major = rng.random() < 0.15
        story.hearing = story.kind == "fine" and rng.random() < 0.1
        story.late = story.kind == "fine" and rng.random() < 0.06
        story.enforced = story.kind == "fine" and not story.late and rng.random() < 0.03
    story.extend = fate in GENERAL and rng.random() < 0.05
    story.archived = rng.random() < (0.5 if fate == "not_filed" else 0.85)
    return story


def facts_of(rng: random.Random, story: Story, power: Power, party: dict[str, Any]) -> dict[str, Any]:
    """The source, facts and place of the case: from the event it came from, the entity's address, or a street."""
    event = story.event
    violation = power.violation or power.name.removeprefix("对").removesuffix("的行政处罚")
    if event is not None:
        return {
            "source": "event",
            "event": event,
            "facts": "\n".join(part for part in (event.title, event.description) if part)
            + f"\n经现场核查，当事人{party['party_name']}存在{violation}的行为。",
            "place": event.address,
            "lon": event.lon,
            "lat": event.lat,
        }
    source = "patrol" if story.fate == "simple" else rng.choice(["patrol", "patrol", "complaint", "transfer"])
    entity = party.get("market_entity")
    if entity is not None and entity.lon is not None:
        place, lon, lat = entity.address, entity.lon, entity.lat
    else:
        road, lon, lat = rng.choice(ROADS)
        place = f"西塘镇{road}{rng.randint(1, 300)}号附近"
        lon, lat = lon + rng.uniform(-0.002, 0.002), lat + rng.uniform(-0.002, 0.002)
    found = {
        "patrol": "执法人员日常巡查发现",
        "complaint": "根据群众投诉举报核查发现",
        "transfer": "根据有关部门移送线索核查发现",
    }
    return {
        "source": source,
        "facts": f"{found[source]}，当事人{party['party_name']}在{place}{violation}。",
        "place": place,
        "lon": round(lon, 6),
        "lat": round(lat, 6),
    }
