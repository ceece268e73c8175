"""The plan's moves in one table: action → (from states, to state). Nothing else assigns `DrawPlan.status`."""

from .choices import PlanStatus as S

PLAN_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "freeze": (frozenset({S.DRAFT}), S.FROZEN),
    "draw": (frozenset({S.FROZEN}), S.DRAWN),
    # A re-draw re-freezes with a new seed commitment; the superseded draw stays on record.
    "redraw": (frozenset({S.DRAWN}), S.FROZEN),
    "publish": (frozenset({S.DRAWN}), S.PUBLISHED),
}

ACTION_LABELS = {
    "create": "新建",
    "freeze": "冻结名录",
    "draw": "抽取",
    "redraw": "重新抽取",
    "publish": "公示结果",
}
