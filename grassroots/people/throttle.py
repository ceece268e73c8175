"""Failed sign-in attempts counted per client address and per API-token prefix, shared by every worker.

A password login, a second-factor code and an API token that fail all count against the address they came from;
a bad token also counts against its first 8 characters (the prefix shown on the token page), so a guesser spread
over many addresses still stops. Over the limit, the address (or prefix) is refused until its window ends: logins
answer as if the password were wrong, the API answers 429 `auth_throttled`. The counters are the Open311 rate
counters (one row per key and window, incremented in the database).
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from grassroots.core.errors import DomainError


class TooManyAttempts(DomainError):
    status = 429
    code = "auth_throttled"


@dataclass(frozen=True)
class Refusal:
    key: str
    retry_after: int


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR") or "unknown"


def address_key(address: str) -> str:
    return f"auth-addr:{address}"


def prefix_key(key: str) -> str:
    return f"token-prefix:{key[:8]}"


def _window() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def _limit(key: str) -> int:
    if key.startswith("token-prefix:"):
        return settings.TOKEN_PREFIX_MAX_FAILURES
    return settings.AUTH_ADDRESS_MAX_FAILURES


def _window_start(now: dt.datetime) -> tuple[int, dt.datetime]:
    epoch = int(now.timestamp())
    start = epoch - epoch % _window()
    return start, dt.datetime.fromtimestamp(start, tz=dt.UTC)


def over_limit_sql(keys: list[str]) -> tuple[str, list[object]]:
    """An SQL condition true when one of `keys` is over its limit in the current window, for a caller to fold
    into its own query (the token lookup), so a good request pays no query of its own for the check."""
    from django.db import connection

    from grassroots.open311.models import RateCounter

    _, start = _window_start(timezone.now())
    each = " OR ".join("(r.key = %s AND r.count >= %s)" for _ in keys)
    sql = f"EXISTS (SELECT 1 FROM {RateCounter._meta.db_table} r WHERE r.window_start = %s AND ({each}))"
    params: list[object] = [connection.ops.adapt_datetimefield_value(start)]
    for key in keys:
        params += [key, _limit(key)]
    return sql, params


def refused(keys: list[str]) -> Refusal | None:
    """The first of `keys` over its limit in the current window, without counting a hit (one query)."""
    from grassroots.open311.models import RateCounter  # the shared counters; open311 builds on people

    now = timezone.now()
    start, start_at = _window_start(now)
    rows = RateCounter.objects.filter(key__in=keys, window_start=start_at).values_list("key", "count")
    for key, count in rows:
        if count >= _limit(key):
            return Refusal(key=key, retry_after=max(1, start + _window() - math.floor(now.timestamp())))
    return None


def failure_count(keys: list[str]) -> Refusal | None:
    """Count one failure against each key; the first key this failure puts at its limit, if any."""
    from grassroots.open311.services import rate_limit_hit

    over = None
    for key in keys:
        decision = rate_limit_hit(key=key, limit=_limit(key) - 1, window_seconds=_window())
        if not decision.allowed and over is None:
            over = Refusal(key=key, retry_after=decision.retry_after)
    return over


def too_many(refusal: Refusal) -> TooManyAttempts:
    return TooManyAttempts(
        f"认证失败次数过多，请 {refusal.retry_after} 秒后重试",
        details={"retry_after": refusal.retry_after},
    )
