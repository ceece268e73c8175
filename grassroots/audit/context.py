"""Who is asking, from where: set once per request (or command) and read by every audit write."""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    channel: str = "system"  # web, api, command, system


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def set_current(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
