"""Every write of 双随机: keyword-only, atomic, audited, taking `actor`."""

from .lists import inspector_register, item_create, relation_declare
from .plans import draw_publish, plan_create, plan_draw, plan_freeze, plan_redraw
from .verify import draw_verify

__all__ = [
    "draw_publish",
    "draw_verify",
    "inspector_register",
    "item_create",
    "plan_create",
    "plan_draw",
    "plan_freeze",
    "plan_redraw",
    "relation_declare",
]
