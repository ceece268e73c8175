"""The connector's settings (config/settings.py reads them from the environment; docs/deploying.md lists them),
read at call time so a test can override them."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class HotlineSettings:
    mode: str  # "http" or "file"
    url: str  # the 12345 side's base URL (http mode)
    secret: str  # the shared HMAC secret, both directions
    timeout: float  # seconds per HTTP request
    max_attempts: int  # sends before an order is given up as failed
    backoff: float  # seconds before the first retry; doubled after each failed attempt
    backoff_max: float  # the longest wait between two attempts
    poll_seconds: float  # how often a sent order's answer is asked for (http mode); 0: wait for the call back
    outbox: Path  # file mode: where work orders are written
    inbox: Path  # file mode: where the 12345 side's receipts and answers are read from


def hotline_settings() -> HotlineSettings:
    var = Path(settings.VAR_DIR) / "hotline"
    return HotlineSettings(
        mode=getattr(settings, "HOTLINE_MODE", "http"),
        url=getattr(settings, "HOTLINE_URL", "").rstrip("/"),
        secret=getattr(settings, "HOTLINE_SECRET", ""),
        timeout=float(getattr(settings, "HOTLINE_TIMEOUT", 10)),
        max_attempts=int(getattr(settings, "HOTLINE_MAX_ATTEMPTS", 8)),
        backoff=float(getattr(settings, "HOTLINE_BACKOFF_SECONDS", 60)),
        backoff_max=float(getattr(settings, "HOTLINE_BACKOFF_MAX_SECONDS", 3600)),
        poll_seconds=float(getattr(settings, "HOTLINE_POLL_SECONDS", 0)),
        outbox=Path(getattr(settings, "HOTLINE_OUTBOX_DIR", "") or var / "outbox"),
        inbox=Path(getattr(settings, "HOTLINE_INBOX_DIR", "") or var / "inbox"),
    )
