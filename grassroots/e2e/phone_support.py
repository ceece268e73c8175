"""What the phone e2e tests share: a real (tiny) photo, the position inside grid A, and the report steps."""

import struct
import zlib
from typing import Any

IN_GRID_A = {"longitude": 120.885, "latitude": 30.945}
GEO = {"geolocation": IN_GRID_A, "permissions": ["geolocation"]}


def ensure_catalogue() -> None:
    """The type catalogue comes from a data migration, which a transactional test's flush empties."""
    from grassroots.events.catalogue import load_catalogue
    from grassroots.events.models import EventType, TimeLimit

    load_catalogue(EventType, TimeLimit)


def photo_png(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (120, 140, 90)) -> bytes:
    """A valid PNG of one colour, small enough to keep the tests fast."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def photo(name: str = "现场.png") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": photo_png()}


def pick_type(page: Any, search: str, name: str) -> None:
    page.fill("#type-search", search)
    page.locator(".type-option:visible", has_text=name).first.click()
    page.wait_for_selector("#type-chosen:not([hidden])")


def wait_for_service_worker(page: Any) -> None:
    """The page is controlled by the worker and the app shell is in its cache."""
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20_000
    )
    page.wait_for_function(
        "caches.open('gridtong-pages').then(c => c.keys()).then(k => k.length >= 3)", timeout=20_000
    )


def file_public_report(page: Any, description: str) -> None:
    """A citizen files a road-damage report on the public page (a small pothole, a tap on the map) and waits for
    the number."""
    page.goto("/report/")
    page.wait_for_selector("#map path")
    page.select_option("#id_service_code", "FW0403")
    page.wait_for_selector("input[name='attribute[size]']")
    page.check("input[name='attribute[size]'][value='small']")
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.fill("#id_description", description)
    page.click("button.pub-submit")
    page.wait_for_selector("#event-number")
