"""The clerk's desk (我的办件): what they hold and what their A posts hold while away, what waits to be delivered,
the bad ratings to call back, and a search of the centre's applications by number or applicant."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from grassroots.org.selectors import covered_holders

from ..choices import OPEN_STATUSES, RectificationStatus, Status
from ..models import Application, Rectification
from ..permissions import visible_to
from ..selectors import centre_of
from .common import AGENT_ROLES, DESK_ROLES, viewer
from .figures import FIGURE_ROLES

TABS = {
    "open": ("在办", OPEN_STATUSES - {Status.FORWARDED}),
    "forwarded": ("代办待接件", frozenset({Status.FORWARDED})),
    "deliver": ("待送达", frozenset({Status.DECIDED})),
    "done": ("已送达", frozenset({Status.DELIVERED})),
}


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    person = viewer(request, DESK_ROLES | AGENT_ROLES)
    now = timezone.now()
    covered = covered_holders(person.pk, at=now)
    centre = centre_of(person)
    mine = Q(handler_id__in={person.pk, *covered}) | Q(agent_id=person.pk)
    if centre is not None:
        # Forwarded applications wait for any clerk of the centre.
        mine |= Q(centre_id=centre.pk, status=Status.FORWARDED)
    tab = request.GET.get("tab") or "open"
    tab = tab if tab in TABS else "open"
    q = (request.GET.get("q") or "").strip()
    base = visible_to(person).filter(mine)
    counts = base.aggregate(  # the tabs' counts in one query
        **{key: Count("id", filter=Q(status__in=statuses)) for key, (_, statuses) in TABS.items()}
    )
    rows = base.filter(status__in=TABS[tab][1])
    if q:
        rows = visible_to(person).filter(Q(number=q) | Q(applicant_name=q))
    page = Paginator(rows.select_related("item", "handler").order_by("due_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    rectifications = list(
        Rectification.objects.filter(owner_id__in={person.pk, *covered})
        .exclude(status=RectificationStatus.CLOSED)
        .select_related("application__item", "rating")
        .order_by("created_at")[:20]
    )
    context = {
        "tabs": [(key, label, counts[key]) for key, (label, _) in TABS.items()],
        "tab": tab,
        "q": q,
        "page": page,
        "covered": covered,
        "centre": centre,
        "is_clerk": centre is not None,
        "is_agent": person.role in AGENT_ROLES,
        "sees_figures": person.role in FIGURE_ROLES,
        "rectifications": rectifications,
        "now": now,
    }
    return render(request, "convenience/desk.html", context)


def light(application: Application) -> str:
    """The list's light from the application's copy of its due time (the clock itself is read on its page)."""
    if application.status not in OPEN_STATUSES:
        return "red" if application.late else "none"
    if application.late:
        return "red"
    return "green" if application.due_at is None or application.due_at > timezone.now() else "red"
