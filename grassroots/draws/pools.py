"""Where a plan's target pool comes from: the app that owns a kind of target (the enterprise registry for
"market.entity") registers a provider returning plain rows {id, kind, risk, label}. This app never reads it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grassroots.core.errors import InvalidInput

from .models import Draw, DrawPlan

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


# -- what becomes of a draw's assignments: the owning app makes them into inspections and reports their results ----


@dataclass(frozen=True)
class Assignments:
    """How the app owning a kind of target carries a draw out: `drawn(draw, actor)` makes its assignments into
    tasks (in the draw's transaction), `superseded(draw, actor)` cancels the tasks of a draw a re-draw replaced,
    and `results(draw)` tells, per assigned target, the result the inspectors recorded (None: not yet)."""

    drawn: Callable[[Draw, Any], int]
    superseded: Callable[[Draw, Any], int]
    results: Callable[[Draw], dict[str, str | None]]  # target key ("kind:id") → result label or None


_ASSIGNMENTS: dict[str, Assignments] = {}


def register_assignments(kind: str, hooks: Assignments) -> None:
    _ASSIGNMENTS[kind] = hooks


def assignments_drawn(draw: Draw, actor: Any) -> int:
    return sum(hooks.drawn(draw, actor) for hooks in _ASSIGNMENTS.values())


def assignments_superseded(draw: Draw, actor: Any) -> int:
    return sum(hooks.superseded(draw, actor) for hooks in _ASSIGNMENTS.values())


def assignment_results(draw: Draw) -> dict[str, str | None]:
    """Per assigned target key, its recorded result; targets of a kind no app carries out are left out."""
    results: dict[str, str | None] = {}
    for hooks in _ASSIGNMENTS.values():
        results.update(hooks.results(draw))
    return results
