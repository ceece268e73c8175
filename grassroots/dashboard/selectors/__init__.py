"""Reads behind the command room's overview and map.

Every figure is an SQL aggregate (grouped `Count` with `filter=`) over `Event` and `Assignment`, always within
`events.permissions.visible_to(user)`, so the numbers on the wall are the numbers in the queue they link to.
The status light is the queue's own rule (`events.selectors.light_q`). One module per page (`overview`, `map`);
`common` holds what both share.
"""

from .common import ALL_PARAM, OPEN, OPEN_PARAM, queue_url, today_start
from .map import (
    MAX_MARKERS,
    GridLayer,
    MapFilters,
    map_events_collection,
    map_filters_from,
    map_grid_layer,
    map_open_events,
)
from .overview import (
    Figures,
    GridRow,
    Overview,
    SplitRow,
    Trend,
    UnitRow,
    grids_most_open,
    overview_figures,
    overview_trend,
    units_least_on_time,
    units_most_overdue,
)

__all__ = [
    "ALL_PARAM",
    "MAX_MARKERS",
    "OPEN",
    "OPEN_PARAM",
    "Figures",
    "GridLayer",
    "GridRow",
    "MapFilters",
    "Overview",
    "SplitRow",
    "Trend",
    "UnitRow",
    "grids_most_open",
    "map_events_collection",
    "map_filters_from",
    "map_grid_layer",
    "map_open_events",
    "overview_figures",
    "overview_trend",
    "queue_url",
    "today_start",
    "units_least_on_time",
    "units_most_overdue",
]
