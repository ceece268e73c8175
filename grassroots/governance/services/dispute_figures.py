"""The success rate of mediation (调解成功率) = agreements (written or oral) / concluded mediations (agreed +
failed), overall and per mediator, committee, village, township or type. Each figure carries the querysets it
counted, so a page can open the records behind the number (DOMAIN.md §7; seed 004: 1,054 mediated, 97.34%).

A dispute refused before mediation, or still being mediated, is not concluded and counts in neither. A dispute with
two mediators counts once for each of them, and once in every other grouping.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from ..choices import AGREEMENT_OUTCOMES, DisputeOutcome, DisputeType
from ..models import Dispute

CONCLUDED = frozenset(AGREEMENT_OUTCOMES | {DisputeOutcome.FAILED})

# grouping → (the field grouped on, the field of its label)
GROUPINGS: dict[str, tuple[str, str | None]] = {
    "mediator": ("mediators", "mediators__name"),
    "committee": ("committee", "committee__name"),
    "village": ("village", "village__name"),
    "township": ("township", "township__name"),
    "kind": ("kind", None),
}


@dataclass(frozen=True)
class SuccessFigure:
    """One success rate: what it is of, its numerator and denominator, the rate in percent (None with no
    concluded mediation), and the records each counts."""

    key: Any
    label: str
    agreements: int
    concluded: int
    rate: Decimal | None
    agreements_qs: QuerySet[Dispute]
    concluded_qs: QuerySet[Dispute]


def rate_of(agreements: int, concluded: int) -> Decimal | None:
    """Percent with two decimals, half up (1,026 / 1,054 → 97.34)."""
    if concluded == 0:
        return None
    return (Decimal(agreements) * 100 / Decimal(concluded)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def concluded_in(
    disputes: QuerySet[Dispute], *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[Dispute]:
    """The concluded mediations among `disputes`, concluded in [since, until) when given."""
    qs = disputes.filter(outcome__in=CONCLUDED)
    if since is not None:
        qs = qs.filter(concluded_at__gte=since)
    if until is not None:
        qs = qs.filter(concluded_at__lt=until)
    return qs


def success_rate(
    disputes: QuerySet[Dispute], *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> SuccessFigure:
    """The one overall figure of `disputes` (already scoped to the viewer)."""
    concluded = concluded_in(disputes, since=since, until=until)
    agreed = concluded.filter(outcome__in=AGREEMENT_OUTCOMES)
    n_agreed, n_concluded = agreed.count(), concluded.count()
    return SuccessFigure(
        None, "合计", n_agreed, n_concluded, rate_of(n_agreed, n_concluded), agreed, concluded
    )


def success_rates(
    disputes: QuerySet[Dispute],
    *,
    by: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[SuccessFigure]:
    """One figure per mediator / committee / village / township / type that concluded a mediation, in one
    grouped query, the largest denominator first."""
    field, label_field = GROUPINGS[by]
    concluded = concluded_in(disputes, since=since, until=until)
    columns = [field] + ([label_field] if label_field else [])
    rows = (
        concluded.values(*columns)
        .annotate(
            n_concluded=Count("pk", distinct=True),
            n_agreed=Count("pk", filter=Q(outcome__in=AGREEMENT_OUTCOMES), distinct=True),
        )
        .order_by("-n_concluded", field)
    )
    figures = []
    for row in rows:
        key = row[field]
        if key is None:  # a concluded dispute without a mediator (cannot happen through the services)
            continue
        label = row[label_field] if label_field else str(DisputeType(key).label)
        of_key = concluded.filter(**{field: key})
        figures.append(
            SuccessFigure(
                key,
                label,
                row["n_agreed"],
                row["n_concluded"],
                rate_of(row["n_agreed"], row["n_concluded"]),
                of_key.filter(outcome__in=AGREEMENT_OUTCOMES),
                of_key,
            )
        )
    return figures
