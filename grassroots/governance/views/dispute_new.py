"""调解登记: a dispute registered at the desk, or from an event (`?event=<id>`, offered as 转为矛盾纠纷 on the event
page), prefilled from it and linked to it by `dispute_register`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError
from grassroots.events.permissions import visible_to as events_visible_to

from .dispute_access import reader
from .dispute_register_form import DisputeForm, field_of, register


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    event = None
    if "event" in request.GET:
        pk = request.GET["event"]
        event = events_visible_to(person).filter(pk=int(pk)).first() if pk.isdigit() else None
        if event is None:
            raise Http404("来源事件不存在或不在您的管辖范围内")
    form = DisputeForm(request.POST or None, person=person, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = register(form, person)
        except DomainError as exc:
            form.add_error(field_of(form, exc.details), exc.message)
        else:
            messages.success(request, _("已登记矛盾纠纷"))
            return redirect("governance:dispute", dispute.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "governance/dispute_new.html", {"form": form, "event": event}, status=status)
