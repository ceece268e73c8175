"""The market registry's JSON API: the enterprises in the caller's scope (/enterprises), one credit file by id or
by USCC, and the manual override of the risk class. Mounted by config/api.py."""

from .enterprises import router

__all__ = ["router"]
