"""The top navigation, by role: each person sees the pages of their work, in the order they use them."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

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


ITEMS = [
    NavItem("指挥台", "events:queue", frozenset(COMMAND)),
    NavItem("我的任务", "events:desk", frozenset(DESK)),
    NavItem("网格员", "mobile:home", frozenset(GRID)),
    NavItem("地图", "dashboard:map", frozenset(COMMAND | DESK | GRID)),
    NavItem("总览", "dashboard:overview", frozenset(COMMAND | {Role.PLATFORM_COORDINATOR})),
    NavItem("考核", "assessment:index", frozenset(COMMAND | {Role.PLATFORM_COORDINATOR, Role.AUDIT_ADMIN})),
]


def nav_items(user: Any) -> list[dict[str, str]]:
    items = []
    for item in ITEMS:
        if item.roles is not None and not (user.is_superuser or user.role in item.roles):
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
