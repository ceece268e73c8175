"""The events JSON API: report, list and read events, take each step of the loop, and read the inbox.

Views only parse input, load through `access_event` (404 out of scope) and call one service; services raise
`DomainError`s that `config/api.py` turns into the one error shape. Every action answers with the event detail.
The modules register their endpoints on import, in the order the OpenAPI document lists them.
"""

from . import inbox, reading, steps  # noqa: F401  (registers the endpoints)
from .common import inbox_router, router, types_router

__all__ = ["inbox_router", "router", "types_router"]
