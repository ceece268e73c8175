"""Every write of 双随机: keyword-only, atomic, audited, taking `actor`."""

from .edit import plan_update
from .lists import (
    inspector_register,
    inspector_set_active,
    inspector_update,
    item_create,
    item_set_published,
    item_update,
    relation_declare,
    relation_remove,
)
from .plans import draw_publish, plan_create, plan_draw, plan_freeze, plan_redraw
from .verify import draw_verify

__all__ = [
    "draw_publish",
    "draw_verify",
    "inspector_register",
    "inspector_set_active",
    "inspector_update",
    "item_create",
    "item_set_published",
    "item_update",
    "plan_create",
    "plan_draw",
    "plan_freeze",
    "plan_redraw",
    "plan_update",
    "relation_declare",
    "relation_remove",
]
