"""Public pages: a resident tracks an application by its number (no personal data shown), and rates it by the
link they were sent (一事一评)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from grassroots.core.errors import DomainError

from ..choices import Grade, RatingChannel, Status
from ..models import Application
from ..rules import action_label
from ..services import application_rate


def track(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("number") or "").strip().upper()
    found = None
    if number:
        found = (
            Application.objects.select_related("item", "centre")
            .only(
                "number",
                "status",
                "created_at",
                "received_at",
                "accepted_at",
                "decided_at",
                "delivered_at",
                "due_at",
                "result",
                "delivery_method",
                "item__name",
                "item__code",
                "item__version",
                "centre__name",
                "centre__phone",
            )
            .filter(number=number)
            .first()
        )
    steps = []
    if found is not None:
        steps = [
            (action_label(action), Status(to).label, at)
            for action, before, to, at in found.history.values_list(
                "action", "from_status", "to_status", "at"
            )
            if to and to != before
        ]
    return render(
        request, "convenience/public/track.html", {"number": number, "found": found, "steps": steps}
    )


def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("item", "centre"), rating_token=token)
    error = ""
    if request.method == "POST":
        try:
            application_rate(
                actor=None,
                application=application,
                grade=int(request.POST.get("grade", "0")),
                channel=RatingChannel.LINK,
                comment=request.POST.get("comment", ""),
            )
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", "") or "请选择评价等级"
        else:
            return render(request, "convenience/public/rated.html", {"application": application})
    return render(
        request,
        "convenience/public/rate.html",
        {
            "application": application,
            "grades": Grade.choices,
            "error": error,
            "done": hasattr(application, "rating"),
        },
    )
