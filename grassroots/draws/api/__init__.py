"""The 双随机 JSON API (/inspection-draws): the plans the caller may see, one plan with its frozen pools and draws,
creating a plan, and one endpoint per step (freeze, draw, redraw, publish). Mounted by config/api.py.

The modules register their endpoints on import, in the order the OpenAPI document lists them."""

from . import plans, steps  # noqa: F401  (registers the endpoints)
from .plans import router

__all__ = ["router"]
