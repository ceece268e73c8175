"""`{% basemap_assets %}`: what a page with a Leaflet map needs for its base layer (config, script, styles).

Put it before the page's own map script; the script then calls `GrassrootsBasemap.add(map)`.
"""

from typing import Any

from django import template

from ..basemap import WGS84, basemap_config

register = template.Library()


@register.inclusion_tag("geo/basemap_assets.html")
def basemap_assets(crs: str = WGS84) -> dict[str, Any]:
    return {"basemap": basemap_config(crs=crs)}
