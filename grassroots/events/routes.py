"""Seed 003's routes (分流路径): where the command room sends a registered event, as a registry other apps add to.

A route names the step that carries it out. The loop's own routes are registered here; another app adds its own
in its `AppConfig.ready()` with `register_route(Route(...))` (the 12345 hand-off, for one), and from then on the
leaders' 研判 offers it and the event page shows it. The dispatching routes are told apart by the units chosen:

- 领导研判 (`leaders`): a major matter; a leader decides the route, with a note (`refer_to_leaders`, `decide_route`);
- 单一平台 (`platform`): to that platform's coordinator (its daily-management office), alone;
- 平台内多部门 (`platform_units`): the platform's office leads, other units of the same platform assist;
- 多平台联合 (`joint`): units of two platforms or more, a lead and co-units, coordinated by the command room;
- 上报区级 (`district`): beyond the township, up to the district centre (the `escalate` step).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import Conflict
from grassroots.org.models import Platform, Unit

from .models import Event


@dataclass(frozen=True)
class Route:
    key: str
    label: Any  # Chinese (a lazy translation), shown on the page and in the leaders' choice
    action: str  # the step of the loop that carries the route out
    help: Any = ""


ROUTES: dict[str, Route] = {}
LEADERS = "leaders"
PLATFORM = "platform"
PLATFORM_UNITS = "platform_units"
JOINT = "joint"
DISTRICT = "district"
DISPATCHING = frozenset({PLATFORM, PLATFORM_UNITS, JOINT})


def register_route(route: Route) -> None:
    """Add a route (or replace one of the same key): the leaders may choose it and the page lists it."""
    ROUTES[route.key] = route


def route_label(key: str) -> str:
    route = ROUTES.get(key)
    return str(route.label) if route else key


def decision_choices() -> list[tuple[str, str]]:
    """The routes a leader may decide on: every route but 研判 itself."""
    return [(r.key, str(r.label)) for r in ROUTES.values() if r.key != LEADERS]


for _route in (
    Route(LEADERS, _("领导研判"), "refer_to_leaders", _("重大事项提交领导研判，由领导决定分流路径")),
    Route(PLATFORM, _("单一平台"), "dispatch", _("交由该平台的日常管理办公室办理")),
    Route(PLATFORM_UNITS, _("平台内多部门"), "dispatch", _("平台日常管理办公室牵头，平台内其他部门协办")),
    Route(JOINT, _("多平台联合"), "dispatch", _("综合指挥室协调多个平台联合处置（主办加协办）")),
    Route(DISTRICT, _("上报区级"), "escalate", _("超出乡镇权限，上报区社会治理综合指挥中心")),
):
    register_route(_route)


def _platforms(township_id: int | None, units: Sequence[Unit]) -> tuple[dict[int, set[str]], set[int]]:
    """Each unit's platforms in the township (as member, lead or office), and which units are an office."""
    found: dict[int, set[str]] = {u.pk: set() for u in units}
    offices: set[int] = set()
    if township_id is None:
        return found, offices
    ids = set(found)
    for platform in Platform.objects.filter(township_id=township_id).prefetch_related("members"):
        involved = {m.pk for m in platform.members.all()} | {platform.office_id, platform.lead_unit_id}
        for pk in ids & involved:
            found[pk].add(platform.kind)
        if platform.office_id in ids:
            offices.add(platform.office_id)
    return found, offices


def infer_route(event: Event, lead: Unit, assists: Sequence[Unit]) -> str:
    """Which dispatching route a lead and assists make; "" for a dispatch none describes (a village, say)."""
    kinds, offices = _platforms(event.township_id, [lead, *assists])
    every = set().union(*kinds.values())
    if len(every) >= 2 and all(kinds.values()):
        return JOINT
    if len(every) == 1 and lead.pk in offices:
        return PLATFORM_UNITS if assists else PLATFORM
    return ""


def check_dispatch_route(event: Event, lead: Unit, assists: Sequence[Unit], route: str | None) -> str:
    """The route this dispatch takes: the one named (which the units must make), else the one they make.

    While the leaders' 研判 is pending nothing is dispatched; after it the dispatch follows their decision.
    """
    if event.route == LEADERS:
        raise Conflict("该事件已提交领导研判，请等待领导决定分流路径后再派遣", code="awaiting_leaders")
    made = infer_route(event, lead, assists)
    # Bound only by the leaders' decision (it carries their note), not by the route a former dispatch made.
    wanted = route or (event.route if event.route in DISPATCHING and event.route_note else "")
    if wanted and wanted != made:
        raise Conflict(
            f"所选单位不符合分流路径“{route_label(wanted)}”：{ROUTE_RULES.get(wanted, '')}",
            code="route_mismatch",
            details={"route": wanted, "units_make": made},
        )
    return made


def routing_offers(action: str, event: Event) -> bool:
    """Whether the page offers a routing step on `event` now (the mode and the leaders' 研判 decide)."""
    from .choices import Mode

    if action == "settle":
        return event.mode == Mode.DIRECT  # the service takes an undecided one too; the page waits for 直办
    if action == "dispatch":
        return event.mode != Mode.DIRECT and event.route != LEADERS
    if action == "refer_to_leaders":
        return event.route != LEADERS and event.mode != Mode.DIRECT
    if action == "decide_route":
        return event.route == LEADERS
    return True


ROUTE_RULES = {
    PLATFORM: "主办单位须为该平台的日常管理办公室，且不加协办单位",
    PLATFORM_UNITS: "主办单位须为平台日常管理办公室，协办单位须为同一平台的成员单位",
    JOINT: "主办和协办单位须分属两个以上平台",
}
