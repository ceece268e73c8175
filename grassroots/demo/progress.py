"""How far a running build of the demo's event history is, for the pages to say while it runs.

scripts/run serves the product while the history is built in the background (minutes at a district's volume), so
the pages would otherwise show a district whose last weeks are mysteriously empty. The builder writes a small file
under the var directory after every simulated day and removes it when done; a file left by a builder that was
killed is ignored (its process is gone).
"""

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings


def _path() -> Path:
    return Path(settings.VAR_DIR) / "demo-history.json"


def progress_write(*, day: dt.date, done: int, days: int) -> None:
    path = _path()
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({"pid": os.getpid(), "day": day.isoformat(), "done": done, "days": days}))
    partial.replace(path)  # readers see the old file or the new one, never half of one


def progress_clear() -> None:
    _path().unlink(missing_ok=True)


def progress_read() -> dict[str, Any] | None:
    """The running build's progress ({"pid": n, "day": date, "done": n, "days": n}), or None when none runs."""
    try:
        data = json.loads(_path().read_text())
        os.kill(int(data["pid"]), 0)  # raises if that process is gone
        return {
            "pid": int(data["pid"]),
            "day": dt.date.fromisoformat(data["day"]),
            "done": int(data["done"]),
            "days": int(data["days"]),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def demo_history_note(request: Any) -> dict[str, Any]:
    """Template context for signed-in pages: `demo_history` while a build runs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    progress = progress_read()
    return {"demo_history": progress} if progress else {}
