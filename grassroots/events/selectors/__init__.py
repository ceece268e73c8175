"""Reads of events that carry rules, one module per concern: the status light (`lights`), the list with its
filters, cursor pages and counters (`listing`), one event and its reporter masked by role (`detail`), what a
viewer may do and where an event may go (`actions`), the type catalogue (`event_types`) and the department desk
(`desk`). The API and the pages both read through here, so they cannot drift apart; import from this package."""

from .actions import (
    NOT_HANDLERS,
    UNIT_KIND_ORDER,
    UnitSuggestion,
    active_assignment_of,
    allowed_actions,
    dispatch_suggestions,
    dispatch_units,
    narrow_for_unit,
    unit_actions,
)
from .desk import DESK_DONE, DESK_TABS, desk_assignment, desk_assignments, desk_counts
from .detail import (
    HANDLING_ROLES,
    REPORTER_FIELDS,
    actor_namer,
    event_detail,
    event_reporter_shown,
    hides_reporter,
)
from .event_types import event_type_by_code, event_types_tree
from .lights import LIGHTS, Light, light_of, light_q
from .listing import (
    CODE_LENGTHS,
    MAX_PAGE,
    OPEN_STATUS_ORDER,
    EventFilters,
    Page,
    events_list,
    events_page,
    open_items,
    open_orders,
    order_label,
    pending_requests,
    queue_counts,
)

__all__ = [
    "CODE_LENGTHS",
    "DESK_DONE",
    "DESK_TABS",
    "HANDLING_ROLES",
    "LIGHTS",
    "MAX_PAGE",
    "NOT_HANDLERS",
    "OPEN_STATUS_ORDER",
    "REPORTER_FIELDS",
    "UNIT_KIND_ORDER",
    "EventFilters",
    "Light",
    "Page",
    "UnitSuggestion",
    "active_assignment_of",
    "actor_namer",
    "allowed_actions",
    "desk_assignment",
    "desk_assignments",
    "desk_counts",
    "dispatch_suggestions",
    "dispatch_units",
    "event_detail",
    "event_reporter_shown",
    "event_type_by_code",
    "event_types_tree",
    "events_list",
    "events_page",
    "hides_reporter",
    "light_of",
    "light_q",
    "narrow_for_unit",
    "open_items",
    "open_orders",
    "order_label",
    "pending_requests",
    "queue_counts",
    "unit_actions",
]
