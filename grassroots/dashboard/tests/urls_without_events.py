"""The project's URLs without the command-room pages: what the dashboard links to when they are not installed."""

from django.urls import URLPattern, URLResolver

from config.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    p for p in project_urlpatterns if isinstance(p, URLPattern | URLResolver) and str(p.pattern) != "command/"
]
