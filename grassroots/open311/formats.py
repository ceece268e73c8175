"""GeoReport v2 bodies in XML (the required format) and JSON (the root element dropped, lists as arrays).

Views build plain dicts and lists; this module writes them out with the exact content types of the spec.
"""

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of one item of each list field, in XML.
ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset of local time (+08:00), to the second."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso(value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _fill(element: ET.Element, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, Mapping):
            _fill(child, value)
        elif isinstance(value, list | tuple):
            item_name = ITEM_NAMES.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, item_name)
                if isinstance(item, Mapping):
                    _fill(sub, item)
                else:
                    sub.text = _text(item)
        else:
            child.text = _text(value)


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_list(
    fmt: str, root: str, item: str, rows: Sequence[Mapping[str, Any]], *, status: int = 200
) -> HttpResponse:
    """`<root><item>…</item>…</root>` in XML; `[{…}, …]` in JSON."""
    if fmt == "json":
        body = json.dumps([_json_value(r) for r in rows], ensure_ascii=False).encode()
    else:
        element = ET.Element(root)
        for row in rows:
            _fill(ET.SubElement(element, item), row)
        body = _xml(element)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_object(fmt: str, root: str, data: Mapping[str, Any], *, status: int = 200) -> HttpResponse:
    """`<root>…</root>` in XML; `{…}` in JSON (a single document, such as discovery or a service definition)."""
    if fmt == "json":
        body = json.dumps(_json_value(data), ensure_ascii=False).encode()
    else:
        element = ET.Element(root)
        _fill(element, data)
        body = _xml(element)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    """The spec's error list: `<errors><error><code/><description/></error></errors>`, or an array in JSON."""
    fmt = fmt if fmt in CONTENT_TYPES else "xml"
    rows = [{"code": status, "description": d} for d in descriptions]
    return render_list(fmt, "errors", "error", rows, status=status)
