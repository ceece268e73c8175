"""Who may see which person, and whose API tokens. Out of scope answers 404, never 403."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from grassroots.core.scope import scope_of

from .choices import Role
from .models import ApiToken, Person


def visible_to(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(scope_of(user).q(region_field="region_code", unit_field="unit_id"))


def access_person(user: Any, person_id: int) -> Person:
    person = visible_to(user).select_related("unit", "division", "grid").filter(pk=person_id).first()
    if person is None:
        raise Http404("人员不存在或不在您的管辖范围内")
    return person


# Administrators who see and revoke everyone's API tokens (and the Open311 clients' keys).
TOKEN_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


def administers_tokens(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.role in TOKEN_ADMIN_ROLES)


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """A person's own tokens; an administrator's view holds everyone's."""
    if administers_tokens(user):
        return ApiToken.objects.all()
    if user is None or not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person_id=user.pk)


def access_token(user: Any, token_id: int) -> ApiToken:
    token = tokens_visible_to(user).select_related("person").filter(pk=token_id).first()
    if token is None:
        raise Http404("令牌不存在")
    return token
