"""The three separated administrators (三员分立, 等保 2.0 level 3): what each may do, and a refusal for the rest.

- 系统管理员 (system_admin): configuration and user accounts in the admin site, the catalogues; no personal data
  (masked, and the admin pages holding residents' data are closed to them), no workflow step.
- 安全管理员 (security_admin): roles, lockouts, factors and tokens of accounts; no workflow step, no audit log.
- 审计管理员 (audit_admin): reads, searches and exports the audit log (/audit/); changes nothing.

One mechanism for pages and API: `SeparatedDutiesMiddleware` refuses every unsafe request of an administrator outside
their duty, and `refuse_out_of_duty` does the same for bearer-token API requests (core/api_auth.py). A superuser is
the documented break-glass account only (docs/security.md) and is not limited here.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from grassroots.core.errors import Forbidden

from .choices import Role

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Signing in and out, one's own password and tokens, the language: every account needs these.
EVERYONE = ("/login/", "/logout/", "/account/", "/i18n/", "/admin/logout/", "/admin/password_change/")
WRITE_PREFIXES: dict[str, tuple[str, ...]] = {
    Role.SYSTEM_ADMIN: (
        *EVERYONE,
        "/admin/",
        "/integrations/",
        "/service/catalogue/",
        "/enforcement/powers/",
    ),
    Role.SECURITY_ADMIN: (*EVERYONE, "/admin/"),
    Role.AUDIT_ADMIN: EVERYONE,
}

ALL = ("add", "change", "delete", "view")
# Configuration the system administrator keeps in the admin site (reference data, catalogues, calendars, accounts).
SYSTEM_ADMIN_MODELS: dict[str, tuple[str, ...]] = {
    "geo.division": ALL,
    "geo.grid": ALL,
    "org.unit": ALL,
    "org.platform": ALL,
    "org.teammembership": ALL,
    "org.backuppost": ALL,
    "workcal.calendaroverride": ALL,
    "events.eventtype": ALL,
    "convenience.serviceitem": ALL,
    "convenience.servicecentre": ALL,
    "convenience.window": ALL,
    "open311.serviceattribute": ALL,
    "open311.openclient": ALL,
    "draws.inspectionitem": ALL,
    "assessment.scheme": ALL,
    "assessment.schemepart": ALL,
    "people.person": ("add", "change", "view"),
}
SECURITY_ADMIN_MODELS: dict[str, tuple[str, ...]] = {"people.person": ("change", "view")}
AUDIT_ADMIN_MODELS: dict[str, tuple[str, ...]] = {"audit.auditentry": ("view",)}
MODELS_BY_ROLE = {
    Role.SYSTEM_ADMIN: SYSTEM_ADMIN_MODELS,
    Role.SECURITY_ADMIN: SECURITY_ADMIN_MODELS,
    Role.AUDIT_ADMIN: AUDIT_ADMIN_MODELS,
}


def _perms(models: dict[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(
        f"{label.split('.')[0]}.{verb}_{label.split('.')[1]}"
        for label, verbs in models.items()
        for verb in verbs
    )


PERMS_BY_ROLE = {role: _perms(models) for role, models in MODELS_BY_ROLE.items()}


def is_separated_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and not getattr(user, "is_superuser", False)
        and getattr(user, "role", None) in ADMIN_ROLES
    )


class AdminDutiesBackend(BaseBackend):
    """Admin-site permissions from the administrator's role, not from hand-assigned groups."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        role = getattr(user_obj, "role", None)
        return set(PERMS_BY_ROLE[role]) if role in PERMS_BY_ROLE else set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


def out_of_duty(user: Any, method: str, path: str) -> bool:
    """True when `user` is a separated administrator and this request would change something outside their duty."""
    if method in SAFE_METHODS or not is_separated_admin(user):
        return False
    return not path.startswith(WRITE_PREFIXES[user.role])


MESSAGE = "管理员账号（三员分立）不能办理业务或修改职责以外的数据"


def refuse_out_of_duty(request: HttpRequest, person: Any) -> None:
    """For the API's token authentication: raise the API's 403 for a write outside the administrator's duty."""
    if out_of_duty(person, request.method or "GET", request.path):
        raise Forbidden(MESSAGE, code="separated_admin", details={"role": person.role})


class SeparatedDutiesMiddleware:
    """Refuses a signed-in administrator's writes outside their duty, before any view runs (pages and API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if out_of_duty(user, request.method or "GET", request.path):
            if request.path.startswith(("/api/", "/open311/")):
                error = Forbidden(MESSAGE, code="separated_admin", details={"role": user.role})
                return JsonResponse(error.as_dict(), status=403)
            return render(request, "403.html", {"exception": MESSAGE}, status=403)
        return self.get_response(request)
