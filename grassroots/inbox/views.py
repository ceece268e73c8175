"""The inbox page: the work waiting for a person (待办, from the workflows that register it: `items.py`), then their
notifications, unread first in the count, each linking to its event. Grid team members get the phone's inbox
instead (`mobile:inbox`)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.core.navigation import phone_redirect
from grassroots.notifications.selectors import inbox_of
from grassroots.notifications.services import notifications_mark_read, unread_count
from grassroots.people.actors import person_of

from .items import work_items_of

PER_PAGE = 50
BODY = "inbox/_inbox_body.html"


def _context(request: HttpRequest) -> dict[str, object]:
    viewer = person_of(request)
    only_unread = request.GET.get("unread") == "1"
    page = Paginator(inbox_of(viewer, only_unread=only_unread), PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number)),
        "only_unread": only_unread,
        "unread": unread_count(viewer),
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    phone = phone_redirect(request, "mobile:inbox")
    if phone is not None:
        return phone
    context = _context(request)
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "inbox-body":  # a tab or a page of the list: only the list
        return render(request, BODY, context)
    context["work_items"] = work_items_of(person_of(request))
    return render(request, "inbox/inbox.html", context)


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them (`all`)."""
    ids = None
    if not request.POST.get("all"):
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    notifications_mark_read(person=person_of(request), ids=ids)
    if getattr(request, "htmx", None):
        return render(request, BODY, {**_context(request), "oob_badge": True})
    back = reverse("inbox:list")
    if request.POST.get("unread") == "1":
        back += "?unread=1"
    return redirect(back)
