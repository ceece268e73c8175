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
    "update": "修改",
    "freeze": "冻结名录",
    "draw": "抽取",
    "redraw": "重新抽取",
    "publish": "公示结果",
}

# The list moves that are not the audited admin's create/update/delete (named in the audit log by apps.ready).
ITEM_ACTION_LABELS = {"publish": "公开", "unpublish": "取消公开"}
INSPECTOR_ACTION_LABELS = {"deactivate": "移出名录库", "reactivate": "恢复在库"}
