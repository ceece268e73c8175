"""The meetings API: meetings in the caller's scope, one meeting, arranging one, one endpoint per step, and the
decisions (tasks). Mounted by config/api.py."""

from .meetings import router

__all__ = ["router"]
