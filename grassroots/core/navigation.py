"""The top navigation, by role: each person sees the pages of their work, in the order they use them."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from grassroots.people.choices import Role

COMMAND = {Role.OPERATOR, Role.DISPATCHER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR, Role.LEADER}
DESK = {
    Role.DEPARTMENT_STAFF,
    Role.VILLAGE_STAFF,
    Role.INSPECTOR,
    Role.MEDIATOR,
    Role.WINDOW_CLERK,
    Role.PLATFORM_COORDINATOR,
}
GRID = {Role.GRID_WORKER, Role.GRID_HEAD, Role.GRID_INSTRUCTOR}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: everyone signed in
    also: str = ""  # dotted path of a check `(user) -> bool` that shows the item to others as well


ITEMS = [
    NavItem("指挥台", "events:queue", frozenset(COMMAND)),
    NavItem("我的任务", "events:desk", frozenset(DESK)),
    NavItem("网格员", "mobile:home", frozenset(GRID)),
    NavItem(
        "便民服务",
        "convenience:desk",
        frozenset({Role.WINDOW_CLERK, Role.PLATFORM_COORDINATOR, Role.VILLAGE_STAFF, Role.LEADER}),
    ),
    NavItem(
        "市场监管",
        "market:entities",
        frozenset({Role.INSPECTOR, Role.DEPARTMENT_STAFF, Role.PLATFORM_COORDINATOR, Role.LEADER} | COMMAND),
    ),
    NavItem(
        "综合执法",
        "enforcement:cases",
        frozenset({Role.INSPECTOR, Role.DEPARTMENT_STAFF, Role.PLATFORM_COORDINATOR, Role.LEADER} | COMMAND),
    ),
    NavItem(
        "综治工作",
        "governance:disputes",
        frozenset({Role.MEDIATOR, Role.VILLAGE_STAFF, Role.PLATFORM_COORDINATOR, Role.LEADER} | COMMAND),
    ),
    NavItem("会议督办", "meetings:list", frozenset(COMMAND | DESK)),
    NavItem("地图", "dashboard:map", frozenset(COMMAND | DESK | GRID)),
    NavItem("总览", "dashboard:overview", frozenset(COMMAND | {Role.PLATFORM_COORDINATOR})),
    NavItem(
        "考核",
        "assessment:index",
        frozenset(COMMAND | {Role.PLATFORM_COORDINATOR, Role.AUDIT_ADMIN}),
        also="grassroots.assessment.permissions.rates_departments",  # county departments rate their agencies
    ),
    NavItem("审计日志", "audit:log", frozenset({Role.AUDIT_ADMIN})),
]


def phone_redirect(request: HttpRequest, url_name: str) -> HttpResponseRedirect | None:
    """A grid team member with a grid works from the phone app: send them to its page (`url_name`) instead of the
    desktop one, whose header breaks apart at phone width. None for everyone else."""
    user = request.user
    if getattr(user, "role", None) not in GRID or getattr(user, "grid_id", None) is None:
        return None
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse(url_name) + (f"?{query}" if query else ""))


def nav_items(user: Any) -> list[dict[str, str]]:
    items = []
    for item in ITEMS:
        allowed = item.roles is None or user.is_superuser or user.role in item.roles
        if not allowed and not (item.also and import_string(item.also)(user)):
            continue
        try:
            items.append({"label": item.label, "url": reverse(item.url_name), "name": item.url_name})
        except NoReverseMatch:
            continue  # that page's app is not installed
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the nav items and the unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from grassroots.notifications.services import unread_count

    return {"nav_items": nav_items(user), "unread_count": unread_count(user)}
