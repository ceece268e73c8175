"""Who takes a step in a service: a person, or None for the system (the timer worker, an import, the demo)."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Person

Actor: TypeAlias = Person | None
# Who files a report: a person signed in, a visitor of the public page, or the system (a sensor, an import).
Reporter: TypeAlias = Person | AnonymousUser | None


def person_of(request: HttpRequest) -> Person:
    """The signed-in person of a request behind `login_required` (or the admin); refused otherwise."""
    user = request.user
    if not isinstance(user, Person):
        raise PermissionDenied
    return user
