"""An event's fate: the detours it will take through the loop, drawn when it is reported (`casework.py` reads it
at each step; `showcase.py` writes the fates of its set cases).
"""

import random
from dataclasses import dataclass, field

from grassroots.events.choices import SOURCES_NEEDING_VERIFICATION, Level, Source
from grassroots.events.models import EventType


@dataclass
class Fate:
    """What will happen to an event, drawn when it is reported; `done` remembers the one-off detours taken."""

    self_handle: bool = False
    grid_up: bool = False  # the grid worker passes it to the village at once
    void: bool = False
    invalid: bool = False
    wrong_unit: bool = False  # first sent to the wrong unit, which returns it
    joint: bool = False
    reworks: int = 0
    extension: str = ""  # "approve" or "reject"
    suspend: bool = (
        False  # the lead unit asks to suspend it (挂起), the shift lead approves, the unit resumes
    )
    beyond: bool = False  # the holder escalates it: beyond its power
    down: bool = False  # at level 4 the centre sends it back down (else a county department handles it)
    supervise: bool = False
    reopen: bool = False
    slow: bool = False  # the unit misses its deadline (the timer urges or escalates)
    unreached: bool = False
    stop_at: str = ""  # leave the event in this status (the open cases of the last hours)
    quick: bool = False  # a showcase case: every step within minutes, and the full path (no shortcuts)
    master_id: int | None = None  # a duplicate: merge into this event
    done: set[str] = field(default_factory=set)


def draw_fate(rng: random.Random, source: str, event_type: EventType) -> Fate:
    r = rng.random
    fate = Fate()
    if source == Source.PATROL and event_type.self_fixable and r() < 0.6:
        fate.self_handle = True
        return fate
    if source == Source.PATROL and event_type.default_level <= Level.VILLAGE and r() < 0.1:
        fate.grid_up = True
    if source in SOURCES_NEEDING_VERIFICATION and r() < 0.06:
        fate.invalid = True
    fate.void = r() < 0.04
    fate.wrong_unit = r() < 0.05
    fate.joint = r() < 0.07
    fate.reworks = 0 if r() >= 0.06 else (2 if r() < 0.25 else 1)
    fate.extension = "" if r() >= 0.05 else ("approve" if r() < 0.75 else "reject")
    fate.beyond = r() < 0.025
    fate.down = r() < 0.5
    fate.supervise = r() < 0.03
    fate.reopen = r() < 0.015
    fate.slow = r() < 0.04
    fate.unreached = r() < 0.05
    return fate
