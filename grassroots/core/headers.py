"""Security headers on every response: a Content-Security-Policy without inline script or style (docs/security.md).

Frame denial, HSTS, nosniff and the referrer policy come from Django's SecurityMiddleware and
XFrameOptionsMiddleware (config/settings.py); this adds the policy they lack. Pages keep every script and style in
static files: behaviour hangs on data- attributes (static/js/behaviours.js), never on on*= handlers.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _tile_hosts() -> list[str]:
    """Where the map tiles come from, when a tile server is configured (the browser fetches them)."""
    hosts = []
    if settings.TIANDITU_KEY:
        hosts.append("https://*.tianditu.gov.cn")
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "x"))
        host = parts.netloc.replace("x.", "*.", 1) if "{s}." in settings.MAP_TILE_URL else parts.netloc
        hosts.append(f"{parts.scheme}://{host}")
    return hosts


def content_security_policy() -> str:
    images = " ".join(["'self'", "data:", "blob:", *_tile_hosts(), *settings.CSP_EXTRA_IMG_SRC])
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Built per response (a few string joins): the tile hosts follow the settings as they are now.
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response
