"""The 双随机 draw, version "draw-v1": deterministic from (seed, canonical pools, inputs), so anyone can re-run it.

Pure Python, no Django: docs/draws.md restates every step so it can be re-implemented in another language.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

ALGORITHM_VERSION = "draw-v1"
RISK_CLASSES = ("A", "B", "C", "D")  # A low … D high risk (DOMAIN.md §7)
_UINT64 = 1 << 64


class DrawInputError(ValueError):
    """The inputs do not describe a draw (bad seed, rate, class or inspector count)."""


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with keys sorted, no spaces, non-ASCII kept as is: the bytes that are hashed."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_bytes(seed: str) -> bytes:
    """A seed is 32 random bytes written as 64 lowercase hex digits."""
    if len(seed) != 64 or seed != seed.lower():
        raise DrawInputError("种子须为 64 位小写十六进制数")
    try:
        return bytes.fromhex(seed)
    except ValueError:
        raise DrawInputError("种子须为 64 位小写十六进制数") from None


def seed_commitment(seed: str) -> str:
    """The hash published before the draw: SHA-256 of the seed's 32 bytes, in hex."""
    return sha256_hex(seed_bytes(seed))


def target_key(kind: str, target_id: str) -> str:
    return f"{kind}:{target_id}"


def canonical_targets(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Target rows as {id, kind, label, risk} strings, sorted by (kind, id) in code-point order; no duplicates."""
    out = []
    for row in rows:
        risk = str(row["risk"])
        if risk not in RISK_CLASSES:
            raise DrawInputError(f"风险等级须为 A/B/C/D：{risk}")
        out.append({"id": str(row["id"]), "kind": str(row["kind"]), "label": str(row["label"]), "risk": risk})
    out.sort(key=lambda r: (r["kind"], r["id"]))
    keys = [target_key(r["kind"], r["id"]) for r in out]
    if len(set(keys)) != len(keys):
        raise DrawInputError("检查对象名录中有重复对象")
    return out


def canonical_inspectors(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Inspector rows as {id, name, certificate_no, valid_to, unit, relations}, sorted by id (code points);
    `relations` are the sorted target keys ("kind:id") the inspector declared a relation with."""
    out: list[dict[str, Any]] = [
        {
            "id": str(row["id"]),
            "name": str(row["name"]),
            "certificate_no": str(row["certificate_no"]),
            "valid_to": str(row["valid_to"]),
            "unit": str(row["unit"]),
            "relations": sorted({str(k) for k in row.get("relations", ())}),
        }
        for row in rows
    ]
    out.sort(key=lambda r: str(r["id"]))
    if len({r["id"] for r in out}) != len(out):
        raise DrawInputError("执法人员名录中有重复人员")
    return out


def pool_digest(rows: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the canonical JSON array of a canonical pool."""
    return sha256_hex(canonical_json(list(rows)))


class Stream:
    """Random numbers from HMAC-SHA256(key = seed bytes, message = UTF-8 label || 0x00 || uint64_be(counter)).

    Each block (counter 0, 1, 2 …) gives four 64-bit big-endian integers, used in order."""

    def __init__(self, key: bytes, label: str) -> None:
        self._key = key
        self._prefix = label.encode("utf-8") + b"\x00"
        self._counter = 0
        self._pending: list[int] = []

    def next_u64(self) -> int:
        if not self._pending:
            block = hmac.new(
                self._key, self._prefix + self._counter.to_bytes(8, "big"), hashlib.sha256
            ).digest()
            self._counter += 1
            self._pending = [int.from_bytes(block[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._pending.pop()

    def below(self, n: int) -> int:
        """Uniform in [0, n) by rejection: values ≥ the largest multiple of n below 2^64 are discarded."""
        limit = _UINT64 - (_UINT64 % n)
        while True:
            value = self.next_u64()
            if value < limit:
                return value % n


def pick(stream: Stream, items: Sequence[Any], k: int) -> list[Any]:
    """The first k of a forward Fisher–Yates shuffle: for i = 0 … k−1, swap a[i] with a[i + below(n − i)]."""
    a = list(items)
    n = len(a)
    for i in range(min(k, n)):
        j = i + stream.below(n - i)
        a[i], a[j] = a[j], a[i]
    return a[:k]


def sample_size(rate: str, size: int) -> int:
    """round(rate × size), halves rounded up, in exact decimal arithmetic; rate is a decimal string in [0, 1]."""
    try:
        exact = Fraction(rate)
    except (ValueError, ZeroDivisionError):
        raise DrawInputError(f"抽查比例无效：{rate}") from None
    if not 0 <= exact <= 1:
        raise DrawInputError(f"抽查比例须在 0 与 1 之间：{rate}")
    return int((exact * size + Fraction(1, 2)) // 1)


@dataclass(frozen=True)
class DrawInputs:
    """Everything besides the seed and the pools: stored with the draw, published with it."""

    rates: Mapping[str, str]  # risk class → decimal string, e.g. {"A": "0.01", …}
    per_target: int  # inspectors per target, ≥ 2
    draw_date: str  # ISO date; a certificate is valid if valid_to ≥ draw_date
    previous: Mapping[str, Sequence[str]]  # target key → inspector ids of its previous inspection
    covered: Sequence[str]  # target keys already drawn by a joint draw: not drawn again

    def as_json(self) -> dict[str, Any]:
        return {
            "rates": {k: str(v) for k, v in sorted(self.rates.items())},
            "per_target": self.per_target,
            "draw_date": self.draw_date,
            "previous": {k: sorted(str(i) for i in v) for k, v in sorted(self.previous.items())},
            "covered": sorted(self.covered),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "DrawInputs":
        return cls(
            rates=dict(data["rates"]),
            per_target=int(data["per_target"]),
            draw_date=str(data["draw_date"]),
            previous={k: list(v) for k, v in data.get("previous", {}).items()},
            covered=list(data.get("covered", [])),
        )


def run_draw(
    *,
    seed: str,
    targets: Sequence[Mapping[str, Any]],
    inspectors: Sequence[Mapping[str, Any]],
    inputs: DrawInputs,
) -> dict[str, Any]:
    """Draw targets per risk class, then inspectors per drawn target. Returns the result as plain JSON data."""
    key = seed_bytes(seed)
    if inputs.per_target < 2:
        raise DrawInputError("每个检查对象至少抽取 2 名执法人员")
    target_rows = canonical_targets(targets)
    inspector_rows = canonical_inspectors(inspectors)
    covered = set(inputs.covered)
    classes: dict[str, Any] = {}
    drawn: list[dict[str, str]] = []
    for risk in RISK_CLASSES:
        rate = str(inputs.rates.get(risk, "0"))
        pool = [r for r in target_rows if r["risk"] == risk and target_key(r["kind"], r["id"]) not in covered]
        k = sample_size(rate, len(pool))
        classes[risk] = {"rate": rate, "size": len(pool), "drawn": k}
        drawn.extend(pick(Stream(key, f"targets:{risk}"), pool, k))

    assigned: list[dict[str, Any]] = []
    unassigned: list[dict[str, Any]] = []
    for target in drawn:
        tkey = target_key(target["kind"], target["id"])
        last = {str(i) for i in inputs.previous.get(tkey, ())}
        eligible, excluded = [], {"expired": 0, "relation": 0, "previous": 0}
        for inspector in inspector_rows:
            if inspector["valid_to"] < inputs.draw_date:
                excluded["expired"] += 1
            elif tkey in inspector["relations"]:
                excluded["relation"] += 1
            elif inspector["id"] in last:
                excluded["previous"] += 1
            else:
                eligible.append(inspector["id"])
        row: dict[str, Any] = dict(target)
        if len(eligible) < inputs.per_target:
            row["reason"] = (
                f"符合条件的执法人员仅 {len(eligible)} 名（需 {inputs.per_target} 名）；"
                f"证件过期 {excluded['expired']}，回避 {excluded['relation']}，上次检查 {excluded['previous']}"
            )
            row["eligible"] = len(eligible)
            unassigned.append(row)
            continue
        row["inspectors"] = pick(Stream(key, f"inspectors:{tkey}"), eligible, inputs.per_target)
        assigned.append(row)
    return {"algorithm": ALGORITHM_VERSION, "classes": classes, "targets": assigned, "unassigned": unassigned}
