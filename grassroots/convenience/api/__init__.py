"""The convenience-service JSON API: the service catalogue (/service-items), applications (/applications) with one
endpoint per step, and the steps of a bad rating's rectification (/rectifications).

The modules register their endpoints on import, in the order the OpenAPI document lists them.
"""

from . import applications, items, steps  # noqa: F401  (registers the endpoints)
from .applications import rectifications_router
from .applications import router as applications_router
from .items import router as items_router

__all__ = ["applications_router", "items_router", "rectifications_router"]
