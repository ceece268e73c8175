"""Reads of the geography that hot paths repeat: a grid's code and a division's name by id, memoised per process."""

from grassroots.core.refcache import reference_cached

from .models import Division, Grid


@reference_cached(Grid)
def grid_brief(pk: int) -> Grid | None:
    """The grid with only its code and village loaded (enough to name it)."""
    return Grid.objects.only("id", "code", "name", "village_id").filter(pk=pk).first()


@reference_cached(Division)
def division_brief(pk: int) -> Division | None:
    """The division with only its code, name and kind loaded (enough to name it)."""
    return Division.objects.only("id", "code", "name", "kind", "level", "parent_id").filter(pk=pk).first()
