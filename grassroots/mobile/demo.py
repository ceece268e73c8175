"""Demo visit logs (走访日志) for the grid workers of a district: a few visits per working day, deterministic.

For the demo loader (`manage.py demo`) to call after the district is built, and `delete_demo_visits` before
the district is reset (visits protect their worker and grid from deletion).
"""

import datetime as dt
import random

from django.utils import timezone

from grassroots.people.choices import Role
from grassroots.people.models import Person

from .choices import VisitKind
from .models import Visit

SURNAMES = "沈张王陈陆朱徐顾钱吴周金李姚孙蒋杨许戴俞"
GIVEN = "伟强军勇明建国华林春新良芳娟敏静丽红梅琴英秀兰凤菊"
TRADES = ("米业有限公司", "五金店", "农家乐", "水产养殖场", "超市", "汽修店", "纺织厂", "早餐店")
HOUSEHOLD_NOTES = (
    "了解家庭近况，无特殊诉求",
    "反映门前路灯不亮，已记录",
    "宣传防诈骗知识，发放宣传册",
    "询问医保缴费事宜，已告知办理渠道",
    "家中老人身体尚好，子女在外务工",
    "反映邻里噪音问题，已劝导",
)
ENTERPRISE_NOTES = (
    "检查消防通道畅通，灭火器在有效期内",
    "提醒做好门前三包",
    "了解用工情况，无欠薪问题",
    "发现电线私拉乱接，已提醒整改",
)
KEY_PERSON_NOTES = (
    "独居老人，身体状况良好，已留联系电话",
    "社区矫正对象，近期表现稳定",
    "困难家庭，了解救助需求",
    "精神障碍患者，按时服药，家属监护到位",
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_demo_visits(
    *, district_code: str, seed: int = 2026, days: int = 35, now: dt.datetime | None = None
) -> int:
    """Visits by every grid worker of the district over the last `days` days (working days only)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    workers = list(
        Person.objects.filter(
            role=Role.GRID_WORKER, is_active=True, grid__isnull=False, region_code__startswith=district_code
        )
        .select_related("grid__village")
        .order_by("pk")
    )
    visits: list[Visit] = []
    for worker in workers:
        grid = worker.grid
        assert grid is not None
        village = grid.village.name
        for back in range(days, -1, -1):
            day = timezone.localtime(now - dt.timedelta(days=back))
            if day.weekday() >= 5 or rng.random() < 0.4:
                continue
            for _ in range(rng.choice((1, 1, 2, 3))):
                at = day.replace(
                    hour=rng.randint(8, 16), minute=rng.randrange(0, 60, 5), second=0, microsecond=0
                )
                if at > now:
                    continue
                kind = rng.choices(list(VisitKind), weights=(65, 20, 15))[0]
                if kind == VisitKind.ENTERPRISE:
                    household = village.removesuffix("村").removesuffix("社区") + rng.choice(TRADES)
                    notes = rng.choice(ENTERPRISE_NOTES)
                else:
                    household = _name(rng)
                    notes = rng.choice(KEY_PERSON_NOTES if kind == VisitKind.KEY_PERSON else HOUSEHOLD_NOTES)
                visits.append(
                    Visit(
                        worker=worker,
                        grid=grid,
                        region_code=grid.code,
                        kind=kind,
                        household=household,
                        address=f"{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
                        visited_at=at,
                        notes=notes,
                        lon=grid.label_lon + rng.uniform(-0.0008, 0.0008),
                        lat=grid.label_lat + rng.uniform(-0.0008, 0.0008),
                        follow_up=rng.random() < 0.15,
                    )
                )
    Visit.objects.bulk_create(visits, batch_size=1000)
    return len(visits)


def delete_demo_visits(*, district_code: str) -> int:
    deleted, _ = Visit.objects.filter(region_code__startswith=district_code).delete()
    return deleted


def build_demo_phone_tasks(*, username: str = "gridworker") -> list[int]:
    """Work waiting for the demo grid worker on site, filed through the loop's services: a hotline report
    the command room sent them to verify, and a teammate's report handled and fed back, awaiting their check (the
    reporter does not check their own case).
    Answers the events' ids (none when the login or the people around it are missing)."""
    from grassroots.events import services
    from grassroots.events.choices import Source
    from grassroots.events.models import EventType
    from grassroots.events.routing import default_unit_for
    from grassroots.org.choices import UnitKind

    worker = Person.objects.filter(username=username, grid__isnull=False).select_related("grid").first()
    if worker is None or worker.grid is None:
        return []
    grid = worker.grid
    township = grid.township_code
    operator = Person.objects.filter(
        role=Role.OPERATOR, is_active=True, unit__kind=UnitKind.COMMAND_ROOM, region_code__startswith=township
    ).first()
    if operator is None:
        return []
    hotline = services.event_report(
        actor=operator,
        event_type=EventType.objects.get(code="FW0402"),
        source=Source.HOTLINE_12345,
        title="井盖松动，行人踩上去晃动",
        description="市民来电：桥头第二个井盖松动，晚上看不清，担心有人踩空。",
        address=f"{grid.village.name}桥头",
        reporter_name="沈建华",
        reporter_phone="13905731234",
        lon=grid.label_lon,
        lat=grid.label_lat,
    ).event
    services.event_verify(actor=operator, event=hotline, verifier=worker, note="请现场核实井盖情况")
    teammate = (
        Person.objects.filter(grid=grid, role__in=[Role.GRID_WORKER, Role.GRID_HEAD], is_active=True)
        .exclude(pk=worker.pk)
        .order_by("pk")
        .first()
    )
    if teammate is None:
        return [hotline.pk]
    report = services.event_report(
        actor=teammate,
        event_type=EventType.objects.get(code="ZF0104"),
        source=Source.PATROL,
        title="路边乱堆建筑垃圾",
        description="河埠头旁堆了一堆砖块和黄沙，占了半幅路面。",
        address=f"{grid.village.name}河埠头",
        lon=grid.label_lon + 0.0006,
        lat=grid.label_lat - 0.0004,
    ).event
    services.event_register(actor=operator, event=report)
    unit = default_unit_for(report)
    staff = Person.objects.filter(unit=unit, is_active=True).order_by("pk").first() if unit else None
    if unit is None or staff is None:
        return [hotline.pk, report.pk]
    services.event_dispatch(actor=operator, event=report, lead_unit_id=unit.pk)
    services.event_sign(actor=staff, event=report)
    services.event_feed_back(actor=staff, event=report, feedback="已通知业主清运，路面已清扫干净。")
    return [hotline.pk, report.pk]
