"""A complaint about an application, taken by phone, letter or visit, goes to the command room as a linked event."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.events.choices import Source
from grassroots.people.choices import Role

from ..permissions import access_application
from ..services import application_complain
from ..services.links import COMPLAINT_MAX
from .common import DESK_ROLES, viewer

# Who records a complaint about an application: the desk, and the command room that takes the hotline's calls.
COMPLAINT_ROLES = DESK_ROLES | {Role.OPERATOR, Role.DISPATCHER, Role.CENTRE_OPERATOR}
COMPLAINT_SOURCES = [
    (s.value, s.label)
    for s in (Source.PHONE, Source.HOTLINE_12345, Source.LETTER, Source.VISIT, Source.ONLINE)
]


class ComplaintForm(forms.Form):
    source = forms.ChoiceField(label=_("投诉来源"), choices=COMPLAINT_SOURCES, initial=Source.PHONE)
    text = forms.CharField(
        label=_("投诉内容"), max_length=COMPLAINT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    complainant_name = forms.CharField(label=_("投诉人"), max_length=50, required=False)
    complainant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


def complaint_form_for(person: Any) -> ComplaintForm | None:
    return ComplaintForm() if person.role in COMPLAINT_ROLES or person.is_superuser else None


@login_required
@require_POST
def complain(request: HttpRequest, application_id: int) -> HttpResponse:
    from .application import page  # the page renders the bound form again on an error

    person = viewer(request, COMPLAINT_ROLES)
    record = access_application(person, application_id)
    form = ComplaintForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            event = application_complain(
                actor=person,
                application=record,
                text=d["text"],
                complainant_name=d["complainant_name"],
                complainant_phone=d["complainant_phone"],
                source=d["source"],
            )
        except DomainError as exc:  # the service's check, on its field when it names one
            fields = exc.details if isinstance(exc.details, dict) else {}
            form.add_error(next((f for f in fields if f in form.fields), None), exc.message)
        else:
            messages.success(request, _("投诉已转指挥室，事件 %(number)s") % {"number": event.number})
            return redirect("convenience:application", record.pk)
    return page(request, record, person, complaint=form, status=422)
