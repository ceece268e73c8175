"""Where a plan's target pool comes from: the app that owns a kind of target (the enterprise registry for
"market.entity") registers a provider returning plain rows {id, kind, risk, label}. This app never reads it."""

from collections.abc import Callable
from typing import Any

from grassroots.core.errors import InvalidInput

from .models import DrawPlan

PoolProvider = Callable[[DrawPlan], list[dict[str, Any]]]
_PROVIDERS: dict[str, PoolProvider] = {}


def register_pool(kind: str, provider: PoolProvider) -> None:
    _PROVIDERS[kind] = provider


def unregister_pool(kind: str) -> None:
    _PROVIDERS.pop(kind, None)


def target_pool(plan: DrawPlan) -> list[dict[str, Any]]:
    """The rows of every target kind the plan's items name, from their providers."""
    kinds = sorted({item.target_kind for item in plan.items.all()})
    if not kinds:
        raise InvalidInput("计划尚未选择抽查事项", code="draw_no_item")
    missing = [kind for kind in kinds if kind not in _PROVIDERS]
    if missing:
        raise InvalidInput(
            f"尚未接入以下检查对象名录：{'、'.join(missing)}", code="draw_no_pool", details={"kinds": missing}
        )
    return [row for kind in kinds for row in _PROVIDERS[kind](plan)]
