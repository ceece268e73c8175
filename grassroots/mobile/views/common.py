"""What every phone page shares: the signed-in team member, the page shell with the grid's name, form errors."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from grassroots.core.errors import DomainError, InvalidInput
from grassroots.geo.models import Grid
from grassroots.people.models import Person

PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def worker_of(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # grid_team_required let only a signed-in grid team member through
    return user


def phone_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A whole page in the phone's shell (mobile/base.html), which names the worker's grid in the header."""
    worker = worker_of(request)
    assert worker.grid_id is not None  # grid_team_required let only people with a grid through
    grid = Grid.objects.select_related("village").get(pk=worker.grid_id)
    context = {
        "worker": worker,
        "grid": grid,
        "grid_label": f"{grid.village.name} · {grid.name}",
        **context,
    }
    return render(request, template, context, status=status)


def domain_error(form: Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """The service's message above the form, and its per-field details next to the fields they name
    (`aliases` maps a service's detail key to the form field that shows it)."""
    form.add_error(None, exc.message)
    if not isinstance(exc, InvalidInput) or not isinstance(exc.details, dict):
        return
    for key, message in exc.details.items():
        name = (aliases or {}).get(key, key)
        form.add_error(name if name in form.fields else None, str(message))


def uploaded_files(request: HttpRequest, *names: str) -> list[UploadedFile]:
    return [upload for name in names for upload in request.FILES.getlist(name)]
