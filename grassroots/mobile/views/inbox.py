"""The inbox on the phone: the same notifications as the command room's inbox, in the phone's shell, each
linking to the event's phone page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grassroots.notifications.selectors import inbox_of
from grassroots.notifications.services import notifications_mark_read

from ..permissions import grid_team_required
from .common import PAGE_SIZE, phone_page, worker_of


@require_GET
@grid_team_required
def inbox(request: HttpRequest) -> HttpResponse:
    worker = worker_of(request)
    only_unread = request.GET.get("unread") == "1"
    page = Paginator(inbox_of(worker, only_unread=only_unread), PAGE_SIZE).get_page(request.GET.get("page"))
    return phone_page(request, "mobile/inbox.html", {"page": page, "only_unread": only_unread})


@require_POST
@grid_team_required
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them (`all`); back to the list as it was."""
    ids = None if request.POST.get("all") else [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    notifications_mark_read(person=worker_of(request), ids=ids)
    back = reverse("mobile:inbox")
    if request.POST.get("unread") == "1":
        back += "?unread=1"
    return redirect(back)
