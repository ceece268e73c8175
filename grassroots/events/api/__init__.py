"""The events JSON API: report, list and read events, and take each step of the loop (the inbox's API is
`grassroots.inbox.api`).

Views only parse input, load through `access_event` (404 out of scope) and call one service; services raise
`DomainError`s that `config/api.py` turns into the one error shape. Every action answers with the event detail.
The modules register their endpoints on import, in the order the OpenAPI document lists them.
"""

from . import reading, steps  # noqa: F401  (registers the endpoints)
from .common import router, types_router

__all__ = ["router", "types_router"]
