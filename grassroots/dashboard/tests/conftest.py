"""A small, hand-countable case book on top of the `world` fixture, made through the event services.

Every step runs at a chosen moment (the services read `timezone.now()`), and the tests look at the figures
at NOW, Wednesday 11 March 2026, 10:00 Beijing time (2 to 11 March are working days except the weekend):

| event | where  | platform    | story                                                            | at NOW          |
|-------|--------|-------------|------------------------------------------------------------------|-----------------|
| e1    | grid A | enforcement | patrol report 02 Mar, dispatched to the agency, 5-day limit       | open, overdue   |
| e2    | grid B | governance  | phone report today 08:40, 2-hour triage clock                    | open, green     |
| e3    | grid A | market      | patrol 03 Mar, dispatched, fed back 05 Mar (on time), closed 09:30 | closed today    |
| e4    | grid A | enforcement | patrol report today 09:00, fixed on the spot                     | self-handled    |
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_png
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.people.choices import Role
from grassroots.people.models import Person

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=BEIJING)
PNG = sample_png()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BEIJING)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("a.png", PNG, content_type="image/png")


@dataclass
class Clock:
    """Stands in for `timezone.now()` (as the demo's simulated time does); `set` moves it."""

    moment: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(NOW)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@dataclass
class CaseBook:
    world: World
    sam: Person  # shift lead of the command room
    e1: Event
    e2: Event
    e3: Event
    e4: Event


@pytest.fixture
def casebook(world: World, clock: Clock, settings: Any, tmp_path: Any) -> CaseBook:
    settings.MEDIA_ROOT = tmp_path
    w = world
    sam = make_person("sam", "孙值班", Role.SHIFT_LEAD, division=w.township, unit=w.command_room)
    types = {t.code: t for t in EventType.objects.filter(code__in=["ZF0101", "ZF0103", "ZZ0201", "SC0101"])}

    def step(moment: dt.datetime, action: Callable[..., Any], **kwargs: Any) -> Any:
        clock.set(moment)
        return action(**kwargs)

    def report(moment: dt.datetime, actor: Person, code: str, title: str, lon: float, **kw: Any) -> Event:
        result = step(
            moment,
            s.event_report,
            actor=actor,
            event_type=types[code],
            title=title,
            lon=lon,
            lat=30.945,
            **{"source": Source.PATROL, **kw},
        )
        return result.event

    e1 = report(at(2, 9), w.alice, "ZF0103", "河边违章搭建", 120.885)
    step(at(2, 9, 30), s.event_register, actor=w.oscar, event=e1)
    step(at(2, 10), s.event_dispatch, actor=w.oscar, event=e1, lead_unit_id=w.agency.pk)

    e3 = report(at(3, 9), w.alice, "SC0101", "无证餐饮", 120.886)
    step(at(3, 9, 30), s.event_register, actor=w.oscar, event=e3)
    step(at(3, 10), s.event_dispatch, actor=w.oscar, event=e3, lead_unit_id=w.agency.pk)
    step(at(3, 11), s.event_sign, actor=w.dora, event=e3)
    step(at(4, 9), s.event_handle, actor=w.dora, event=e3)
    step(at(5, 15), s.event_feed_back, actor=w.dora, event=e3, feedback="已责令停业")
    step(
        at(6, 10), s.event_check, actor=w.oscar, event=e3, passed=True
    )  # Alice reported it: not hers to check
    step(at(11, 9, 30), s.event_close, actor=sam, event=e3)

    e2 = report(at(11, 8, 40), w.oscar, "ZZ0201", "楼道堆放杂物", 120.895, source=Source.PHONE)

    e4 = report(at(11, 9), w.alice, "ZF0101", "路边垃圾", 120.887)
    step(at(11, 9, 10), s.event_self_handle, actor=w.alice, event=e4, note="已清理", files=[photo()])

    clock.set(NOW)
    for e in (e1, e2, e3, e4):
        e.refresh_from_db()
    return CaseBook(world=w, sam=sam, e1=e1, e2=e2, e3=e3, e4=e4)
