"""The 12345 connector (docs/hotline-12345.md): the wire format of both directions, HTTP JSON and the file drop.

Nothing here touches the database: `services.py` decides what to send and records what comes back.
"""

import datetime as dt
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conf import HotlineSettings

SIGNATURE_HEADER = "X-Hotline-Signature"
TIMESTAMP_HEADER = "X-Hotline-Timestamp"
KEY_HEADER = "Idempotency-Key"
# A signed request older (or newer) than this is refused: a captured request cannot be replayed days later.
SIGNATURE_TOLERANCE = 300


class TransientError(Exception):
    """Worth another try later: a timeout, a refused connection, a 5xx or 429 answer."""


class RefusedError(Exception):
    """The 12345 side refused the order itself (a 4xx answer): trying again sends the same refusal."""


@dataclass(frozen=True)
class Reply:
    """What the 12345 side says of an order: a receipt (`accepted`) or the answer (`answered`)."""

    idempotency_key: str
    external_number: str
    status: str
    answer: str = ""
    answered_by: str = ""
    answered_at: dt.datetime | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """hex(HMAC-SHA256(secret, "<timestamp>.<body>"))."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(
    secret: str, timestamp: str, signature: str, body: bytes, *, now: float | None = None
) -> bool:
    if not secret or not timestamp or not signature:
        return False
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= SIGNATURE_TOLERANCE and hmac.compare_digest(sign(secret, timestamp, body), signature)


def signed_headers(secret: str, body: bytes, key: str = "") -> dict[str, str]:
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    if key:
        headers[KEY_HEADER] = key
    return headers


def parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def reply_from(data: Any) -> Reply:
    """A reply from its JSON (a poll's answer, a callback's body or an inbox file); ValueError when malformed."""
    if not isinstance(data, dict):
        raise ValueError("内容不是 JSON 对象")
    status = str(data.get("status") or ("answered" if data.get("answer") else "accepted"))
    if status not in {"accepted", "answered", "pending"}:
        raise ValueError(f"未知的状态 {status}")
    key, number = str(data.get("idempotency_key") or ""), str(data.get("external_number") or "")
    if not key and not number:
        raise ValueError("缺少 idempotency_key 或 external_number")
    if status == "answered" and not str(data.get("answer") or "").strip():
        raise ValueError("答复内容为空")
    return Reply(
        idempotency_key=key,
        external_number=number,
        status=status,
        answer=str(data.get("answer") or ""),
        answered_by=str(data.get("answered_by") or ""),
        answered_at=parse_time(data.get("answered_at")),
    )


def _request(conf: HotlineSettings, method: str, path: str, body: bytes | None, key: str = "") -> Any:
    if not conf.url:
        raise TransientError("未配置 HOTLINE_URL")
    headers = signed_headers(conf.secret, body or b"", key)
    request = urllib.request.Request(conf.url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=conf.timeout) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        text = exc.read()[:500].decode(errors="replace")
        if exc.code >= 500 or exc.code in (408, 429):
            raise TransientError(f"HTTP {exc.code}: {text}") from exc
        raise RefusedError(f"HTTP {exc.code}: {text}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise TransientError(f"连接失败：{getattr(exc, 'reason', exc)}") from exc
    except ValueError as exc:  # a body that is not JSON: the other side is not itself, try later
        raise TransientError(f"应答不是 JSON：{exc}") from exc


def http_send(conf: HotlineSettings, payload: dict[str, Any]) -> str:
    """POST the work order; the 12345 side's number for it (the same number for a replay of the same key)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    data = _request(conf, "POST", "/work-orders", body, payload["idempotency_key"])
    number = str(data.get("external_number") or "") if isinstance(data, dict) else ""
    if not number:
        raise TransientError("应答中没有 external_number")
    return number


def http_poll(conf: HotlineSettings, external_number: str) -> Reply:
    data = _request(conf, "GET", f"/work-orders/{external_number}", None)
    try:
        return reply_from(data)
    except ValueError as exc:
        raise TransientError(f"应答格式不符：{exc}") from exc


def file_send(conf: HotlineSettings, payload: dict[str, Any]) -> Path:
    """Write the order to the outbox as `<idempotency key>.json`; a replay rewrites the same file."""
    conf.outbox.mkdir(parents=True, exist_ok=True)
    target = conf.outbox / f"{payload['idempotency_key']}.json"
    partial = conf.outbox / f".{target.name}.part"  # the other side reads *.json only: never half a file
    partial.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(partial, target)
    return target


def inbox_files(conf: HotlineSettings) -> list[Path]:
    if not conf.inbox.is_dir():
        return []
    return sorted(p for p in conf.inbox.iterdir() if p.is_file() and p.suffix == ".json")


def inbox_move(conf: HotlineSettings, path: Path, folder: str, error: str = "") -> Path:
    """Move a read file aside: to `processed/`, or to `failed/` with the reason next to it."""
    target_dir = conf.inbox / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    if target.exists():  # the same file name delivered twice: keep both
        target = target_dir / f"{path.stem}.{int(time.time() * 1000)}{path.suffix}"
    os.replace(path, target)
    if error:
        target.with_suffix(".error.txt").write_text(error, encoding="utf-8")
    return target
