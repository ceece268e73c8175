"""A service centre in the personas' world (grassroots/conftest.py): Wendy and Will at the windows of 西塘镇,
Will her B post; a permit item with a required, a tolerated and a conditional material; a public service any
village service point can take in."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.conftest import World, make_person
from grassroots.org.choices import UnitKind
from grassroots.org.models import Absence, BackupPost, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.publishing import publish

from ..choices import ItemKind, MaterialNeed, TownshipType
from ..models import ServiceCentre, ServiceItem, ServiceMaterial, Window


@dataclass
class Centre:
    centre: ServiceCentre
    unit: Unit
    window_1: Window
    window_2: Window
    wendy: Person  # clerk, A post of window 1
    will: Person  # clerk, her B post
    permit: ServiceItem
    service: ServiceItem


def make_item(
    code: str,
    name: str,
    *,
    kind: str = ItemKind.LICENCE,
    statutory: int = 20,
    promised: int | None = 5,
    materials: tuple[tuple[str, str], ...] = (("申请表", MaterialNeed.REQUIRED),),
    valid_from: dt.datetime | None = None,
    **fields: Any,
) -> ServiceItem:
    """A published item (a draft, its materials, then `publish`)."""
    fields.setdefault("in_central", True)
    item = ServiceItem.objects.create(
        code=code,
        name=name,
        kind=kind,
        department="嘉善县民政局",
        statutory_limit=Decimal(statutory),
        promised_limit=None if promised is None else Decimal(promised),
        channels=["window", "online"],
        **fields,
    )
    for order, (material, need) in enumerate(materials, start=1):
        ServiceMaterial.objects.create(item=item, order=order, name=material, need=need)
    return publish(item, actor=None, valid_from=valid_from or timezone.now() - dt.timedelta(days=400))


def build_centre(world: World) -> Centre:
    unit = Unit.objects.create(
        code="330421102-BMFW",
        name="西塘镇便民服务中心",
        kind=UnitKind.TOWNSHIP_OFFICE,
        division=world.township,
    )
    centre = ServiceCentre.objects.create(
        township=world.township, unit=unit, name="西塘镇便民服务中心", township_type=TownshipType.CENTRAL
    )
    wendy = make_person("wendy", "吴文婷", Role.WINDOW_CLERK, unit=unit, division=world.township)
    will = make_person("will", "魏立新", Role.WINDOW_CLERK, unit=unit, division=world.township)
    BackupPost.objects.create(name="综合受理窗口", unit=unit, holder=wendy, backup=will)
    permit = make_item(
        "XK330421001",
        "农村宅基地建房审批",
        materials=(
            ("农村宅基地和建房（规划许可）申请表", MaterialNeed.REQUIRED),
            ("申请人身份证", MaterialNeed.TOLERATED),
            ("四邻意见书", MaterialNeed.CONDITIONAL),
        ),
    )
    service = make_item(
        "GG330421001",
        "高龄津贴申领",
        kind=ItemKind.PUBLIC_SERVICE,
        statutory=10,
        promised=3,
        at_village=True,
        zero_visit=True,
        required_visits=0,
        materials=(("申请人身份证", MaterialNeed.REQUIRED),),
    )
    return Centre(
        centre=centre,
        unit=unit,
        window_1=Window.objects.create(centre=centre, number=1, name="综合受理"),
        window_2=Window.objects.create(centre=centre, number=2, name="出件"),
        wendy=wendy,
        will=will,
        permit=permit,
        service=service,
    )


def away(person: Person, *, days: int = 3) -> Absence:
    now = timezone.now()
    return Absence.objects.create(
        person=person, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(days=days)
    )
