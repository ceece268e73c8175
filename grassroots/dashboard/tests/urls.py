"""The project's URLs with stand-ins for the command queue and the event page (built in the events app), so
the links the dashboard renders can be checked whether or not those pages exist yet."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as project_urlpatterns


def stand_in(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("stand-in")


events_patterns = (
    [path("", stand_in, name="queue"), path("events/<int:pk>/", stand_in, name="detail")],
    "events",
)
urlpatterns: list[URLPattern | URLResolver] = [
    *(
        p
        for p in project_urlpatterns
        if isinstance(p, URLPattern | URLResolver) and str(p.pattern) != "command/"
    ),
    path("command/", include(events_patterns)),
]
