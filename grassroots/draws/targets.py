"""Naming a target on a declared relation (回避申报): a market entity typed as its USCC (or its number in the registry)
becomes the pool's target id, and back to its name for the pages. Pools carry the entity's primary key as the id
(market/registry.py `plan_pool`), so a relation must store the same."""

from collections.abc import Iterable

from grassroots.core.errors import InvalidInput

from .choices import TargetKind
from .models import DeclaredRelation

USCC_LENGTH = 18


def target_resolve(kind: str, text: str) -> tuple[str, str]:
    """(target id, name) of the target `text` names; InvalidInput in Chinese when there is none."""
    if kind != TargetKind.MARKET_ENTITY:
        raise InvalidInput(f"不支持的检查对象类型：{kind}", code="draw_bad_target_kind")
    from grassroots.market.models import MarketEntity

    text = text.strip().upper()
    if len(text) == USCC_LENGTH:
        entity = MarketEntity.objects.filter(uscc=text).only("pk", "name").first()
    elif text.isdigit():
        entity = MarketEntity.objects.filter(pk=int(text)).only("pk", "name").first()
    else:
        raise InvalidInput(
            "请填写 18 位统一社会信用代码（或市场主体编号）",
            code="draw_bad_target",
            details={"field": "target"},
        )
    if entity is None:
        raise InvalidInput(
            f"未找到统一社会信用代码（编号）为 {text} 的市场主体",
            code="draw_target_not_found",
            details={"field": "target"},
        )
    return str(entity.pk), entity.name


def target_labels(relations: Iterable[DeclaredRelation]) -> dict[tuple[str, str], str]:
    """(kind, id) → "name（USCC）" for the relations' targets that still exist, in one query per kind."""
    from grassroots.market.models import MarketEntity

    ids = [
        int(r.target_id)
        for r in relations
        if r.target_kind == TargetKind.MARKET_ENTITY and r.target_id.isdigit()
    ]
    rows = MarketEntity.objects.filter(pk__in=ids).values_list("pk", "name", "uscc") if ids else []
    return {(TargetKind.MARKET_ENTITY.value, str(pk)): f"{name}（{uscc}）" for pk, name, uscc in rows}
