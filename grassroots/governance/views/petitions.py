"""The petition pages, under /governance/petitions/: the queue (filters by state, channel, kind, the time-limit
light, text; each row's light), the registration form, and the petition page (`petition_page.py`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError
from grassroots.org.models import Unit
from grassroots.people.actors import person_of

from ..petition_choices import PetitionChannel, PetitionKind, PetitionStatus
from ..petition_permissions import is_office
from ..services.petition_reading import page_rows, queue
from ..services.petitions import PetitionerIn, petition_register
from . import petition_page
from .petition_forms import PETITIONER_ROWS, RegisterForm

PER_PAGE = 30
LIGHTS = [("red", "超期"), ("yellow", "预警"), ("green", "正常")]


def offices_of(person: Any) -> list[Unit]:
    """The units the person registers petitions for: their own if it handles petitions, else those over them."""
    units = Unit.objects.filter(division__level="township").select_related("division").order_by("code")
    return [u for u in units if is_office(person, u) and "信访" in u.name]


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    get = request.GET
    shown = {k: get.get(k, "").strip()[:100] for k in ("state", "channel", "kind", "light", "q")}
    shown["state"] = shown["state"] if shown["state"] in PetitionStatus.values else ""
    shown["channel"] = shown["channel"] if shown["channel"] in PetitionChannel.values else ""
    shown["kind"] = shown["kind"] if shown["kind"] in PetitionKind.values else ""
    shown["light"] = shown["light"] if shown["light"] in dict(LIGHTS) else ""
    rows = queue(
        person, now=timezone.now(), **{k: v or None for k, v in shown.items() if k != "q"}, q=shown["q"]
    )
    page = Paginator(rows, PER_PAGE).get_page(get.get("page"))
    query = get.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": page_rows(list(page.object_list)),
        "shown": shown,
        "query": query.urlencode(),
        "statuses": PetitionStatus.choices,
        "channels": PetitionChannel.choices,
        "kinds": PetitionKind.choices,
        "lights": LIGHTS,
        "may_register": bool(offices_of(person)),
    }
    return render(request, "governance/petition_list.html", context)


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    units = offices_of(person)
    if not units:
        raise PermissionDenied(_("您不在信访工作机构，不能登记信访件"))
    form = RegisterForm(request.POST or None, units=Unit.objects.filter(pk__in=[u.pk for u in units]))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        people = [
            PetitionerIn(**{n: d[f"{n}_{i}"] for n in ("name", "id_number", "phone", "address")})
            for i in PETITIONER_ROWS
            if d[f"name_{i}"].strip() or d[f"phone_{i}"].strip()
        ]
        try:
            petition = petition_register(
                actor=person,
                unit=d["unit"],
                village=d["village"],
                channel=d["channel"],
                kind=d["kind"],
                title=d["title"],
                content=d["content"],
                petitioners=people,
                people_count=d["people_count"],
                transferred_from=d["transferred_from"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记信访件"))
            return redirect("governance:petition", petition.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "governance/petition_new.html", {"form": form}, status=status)


urlpatterns = [
    path("", petition_list, name="petitions"),
    path("new/", petition_new, name="petition_new"),
    path("<int:petition_id>/", petition_page.petition_page, name="petition"),
    path("<int:petition_id>/act/<str:action>/", petition_page.act, name="petition_act"),
    path(
        "<int:petition_id>/documents/<int:document_id>/",
        petition_page.document_file,
        name="petition_document",
    ),
]
