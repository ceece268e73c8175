"""The installable app: the service worker that keeps the phone pages for offline use."""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# What the phone keeps for offline use: the styles and scripts of the pages, and the pages themselves.
SHELL_STATIC = [
    "css/app.css",
    "mobile/mobile.css",
    "mobile/outbox.js",
    "mobile/app.js",
    "mobile/report.js",
    "mobile/queue.js",
    "mobile/manifest.webmanifest",
    "mobile/icon-192.png",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "js/basemap.js",
    "css/basemap.css",
]
SHELL_PAGES = ["mobile:home", "mobile:report", "mobile:queue", "mobile:tasks", "mobile:visits"]


def _shell_version() -> str:
    """Changes whenever a cached file changes, so phones install the new worker and drop the old cache."""
    if settings.DEBUG:
        return _hash_shell()
    return _cached_shell_version()


@cache
def _cached_shell_version() -> str:
    return _hash_shell()


def _hash_shell() -> str:
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        digest.update(name.encode())
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /m/ so its scope covers the phone pages. No personal data in it."""
    body = render_to_string(
        "mobile/sw.js",
        {
            "version": _shell_version(),
            "static_urls": json.dumps([static(name) for name in SHELL_STATIC]),
            "page_urls": json.dumps([reverse(name) for name in SHELL_PAGES]),
            "outbox_url": static("mobile/outbox.js"),
            "static_prefix": "/" + settings.STATIC_URL.lstrip("/"),
            "home_url": reverse("mobile:home"),
            "report_url": reverse("mobile:report"),
            "queue_url": reverse("mobile:queue"),
            "login_url": reverse("login"),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("mobile:home")
    return response
