"""The grid worker's phone (网格通): a dispute found on patrol reported from the grid, under /governance/m/disputes/.

The form is sent from JavaScript through the grid worker's outbox (`static/mobile/outbox.js`), so a report made
without a network waits on the phone and is sent later with the same idempotency key (header `Idempotency-Key`):
such a POST is answered in JSON (`label`, `created`), and sending it again answers the dispute it made the first
time. The key is kept on the registration's history row (`data.idempotency_key`); the worker's row is locked while
it is looked up, so two sends of one key cannot both register. Without JavaScript the same form posts here and is
answered with a page."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError, InvalidInput
from grassroots.mobile.permissions import grid_team_required
from grassroots.mobile.views.common import phone_page, worker_of
from grassroots.people.models import Person

from ..choices import DisputeSource, DisputeType
from ..models import Dispute, DisputeHistory
from .dispute_register_form import DisputeForm, register

KEY_MAX = 64


def _earlier(person: Any, key: str) -> Dispute | None:
    row = DisputeHistory.objects.filter(action="register", actor=person, data__idempotency_key=key).first()
    return row.dispute if row is not None else None


@transaction.atomic
def report_once(form: DisputeForm, person: Any, key: str) -> tuple[Dispute, bool]:
    """The dispute the key made before, or a new one registered with it: (dispute, created)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    found = _earlier(person, key) if key else None
    if found is not None:
        return found, False
    dispute = register(form, person, note=_("网格员手机上报"))
    if key:
        row = dispute.history.get(action="register")
        row.data = {**row.data, "idempotency_key": key}
        row.save(update_fields=["data"])
    return dispute, True


def _form(request: HttpRequest, person: Any) -> DisputeForm:
    form = DisputeForm(request.POST or None, person=person)
    if not form.is_bound:
        form.initial.update({"source": DisputeSource.PATROL, "kind": DisputeType.NEIGHBOURS})
    return form


@grid_team_required
def report(request: HttpRequest) -> HttpResponse:
    person = worker_of(request)
    form = _form(request, person)
    key = request.headers.get("Idempotency-Key", "").strip()
    if request.method == "POST":
        if len(key) > KEY_MAX:
            exc = InvalidInput("幂等键过长", code="idempotency_key_too_long")
            return JsonResponse(exc.as_dict(), status=exc.status)
        if form.is_valid():
            try:
                dispute, created = report_once(form, person, key)
            except DomainError as exc:
                if key:
                    return JsonResponse(exc.as_dict(), status=exc.status)
                form.add_error(None, exc.message)
            else:
                label = f"纠纷 {dispute.pk} {dispute.title}"
                if key:
                    return JsonResponse({"label": label, "created": created, "id": dispute.pk}, status=201)
                messages.success(request, _("已上报矛盾纠纷：%(label)s") % {"label": label})
                return redirect("governance:phone_dispute")
        elif key:
            errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
            return JsonResponse({"code": "invalid_input", "message": errors}, status=422)
    mine = (
        Dispute.objects.filter(created_by=person)
        .select_related("village")
        .order_by("-created_at", "-pk")[:10]
    )
    context = {"form": form, "mine": list(mine), "post_url": reverse("governance:phone_dispute")}
    return phone_page(request, "governance/dispute_phone.html", context, status=422 if form.errors else 200)


urlpatterns = [path("new/", report, name="phone_dispute")]
