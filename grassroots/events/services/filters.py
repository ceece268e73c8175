"""Saved queue filters: a person keeps the filters they use every shift under a short name."""

from typing import Any

from django.db import transaction

from grassroots.core.errors import InvalidInput, NotFound

from ..models import SavedFilter

MAX_SAVED_FILTERS = 20


@transaction.atomic
def saved_filter_save(*, person: Any, name: str, query: str) -> SavedFilter:
    """Save `query` under `name`; the same name again replaces the old query."""
    name = name.strip()
    if not name:
        raise InvalidInput("请填写筛选名称", details={"name": "必填"})
    if len(name) > 40:
        raise InvalidInput("筛选名称不能超过 40 个字", details={"name": "过长"})
    existing = SavedFilter.objects.filter(person=person, name=name).first()
    if existing is not None:
        existing.query = query[:1000]
        existing.save(update_fields=["query"])
        return existing
    if SavedFilter.objects.filter(person=person).count() >= MAX_SAVED_FILTERS:
        raise InvalidInput(
            f"最多保存 {MAX_SAVED_FILTERS} 个常用筛选，请先删除不用的", details={"name": "已达上限"}
        )
    return SavedFilter.objects.create(person=person, name=name, query=query[:1000])


@transaction.atomic
def saved_filter_delete(*, person: Any, filter_id: int) -> None:
    deleted, _ = SavedFilter.objects.filter(person=person, pk=filter_id).delete()
    if not deleted:
        raise NotFound("常用筛选不存在", code="no_saved_filter")
