"""The pure draw: deterministic, exact sample sizes, conflicts never drawn, fair over many seeds."""

import hashlib
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..algorithm import (
    ALGORITHM_VERSION,
    DrawInputError,
    DrawInputs,
    Stream,
    canonical_targets,
    pool_digest,
    run_draw,
    sample_size,
    seed_commitment,
    target_key,
)

SEED = "00" * 31 + "2a"
RATES = {"A": "0.01", "B": "0.04", "C": "0.2", "D": "1"}


def targets(n_per_class: dict[str, int]) -> list[dict[str, str]]:
    return [
        {"id": f"{risk}{i:04d}", "kind": "market.entity", "risk": risk, "label": f"对象{risk}{i}"}
        for risk, n in n_per_class.items()
        for i in range(n)
    ]


def inspectors(n: int, *, valid_to: str = "2030-12-31") -> list[dict[str, Any]]:
    return [
        {"id": str(i), "name": f"执法{i}", "certificate_no": f"ZF{i:05d}", "valid_to": valid_to, "unit": "1"}
        for i in range(1, n + 1)
    ]


def inputs(**kw: object) -> DrawInputs:
    base: dict[str, object] = {
        "rates": RATES,
        "per_target": 2,
        "draw_date": "2026-12-07",
        "previous": {},
        "covered": [],
    }
    base.update(kw)
    return DrawInputs(**base)  # type: ignore[arg-type]


def test_the_same_seed_and_pools_give_the_same_result_in_any_row_order() -> None:
    pool = targets({"A": 300, "B": 100, "C": 20, "D": 3})
    people = inspectors(8)
    first = run_draw(seed=SEED, targets=pool, inspectors=people, inputs=inputs())
    again = run_draw(seed=SEED, targets=pool[::-1], inspectors=people[::-1], inputs=inputs())
    assert first == again
    assert first["algorithm"] == ALGORITHM_VERSION
    other = run_draw(seed="11" * 32, targets=pool, inspectors=people, inputs=inputs())
    assert other != first


def test_the_commitment_is_the_sha256_of_the_seed_bytes_and_the_digest_of_the_canonical_json() -> None:
    assert seed_commitment(SEED) == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()
    rows = canonical_targets([{"id": 7, "kind": "k", "risk": "A", "label": "甲"}])
    expected = '[{"id":"7","kind":"k","label":"甲","risk":"A"}]'.encode()
    assert pool_digest(rows) == hashlib.sha256(expected).hexdigest()


def test_the_stream_is_hmac_sha256_of_label_nul_counter() -> None:
    import hmac

    block = hmac.new(bytes.fromhex(SEED), b"x\x00" + (0).to_bytes(8, "big"), hashlib.sha256).digest()
    stream = Stream(bytes.fromhex(SEED), "x")
    assert [stream.next_u64() for _ in range(4)] == [
        int.from_bytes(block[i : i + 8], "big") for i in (0, 8, 16, 24)
    ]


@pytest.mark.parametrize(
    ("rate", "size", "expected"),
    [
        ("0.01", 149, 1),
        ("0.01", 150, 2),
        ("0.01", 49, 0),
        ("0.04", 25, 1),
        ("0.2", 7, 1),
        ("1", 3, 3),
        ("0", 9, 0),
    ],
)
def test_the_sample_size_rounds_half_up(rate: str, size: int, expected: int) -> None:
    assert sample_size(rate, size) == expected


def test_bad_inputs_are_refused_in_chinese() -> None:
    with pytest.raises(DrawInputError, match="种子"):
        run_draw(seed="xyz", targets=[], inspectors=[], inputs=inputs())
    with pytest.raises(DrawInputError, match="至少"):
        run_draw(seed=SEED, targets=[], inspectors=[], inputs=inputs(per_target=1))
    with pytest.raises(DrawInputError, match="比例"):
        sample_size("1.5", 3)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.fixed_dictionaries({r: st.integers(0, 40) for r in "ABCD"}),
    rates=st.fixed_dictionaries(
        {r: st.sampled_from(["0", "0.01", "0.04", "0.08", "0.2", "0.5", "1"]) for r in "ABCD"}
    ),
    n_inspectors=st.integers(0, 7),
    expired=st.sets(st.integers(1, 7)),
    relations=st.sets(st.tuples(st.integers(1, 7), st.sampled_from("ABCD"), st.integers(0, 39))),
    previous=st.dictionaries(
        st.tuples(st.sampled_from("ABCD"), st.integers(0, 39)), st.sets(st.integers(1, 7), max_size=3)
    ),
    covered=st.sets(st.tuples(st.sampled_from("ABCD"), st.integers(0, 39))),
    seed=st.binary(min_size=32, max_size=32),
)
def test_sizes_follow_the_rule_and_conflicts_are_never_drawn(
    sizes, rates, n_inspectors, expired, relations, previous, covered, seed
) -> None:
    pool = targets(sizes)
    people = inspectors(n_inspectors)
    for person in people:
        if int(str(person["id"])) in expired:
            person["valid_to"] = "2026-12-06"
        person["relations"] = [
            target_key("market.entity", f"{r}{i:04d}") for p, r, i in relations if str(p) == person["id"]
        ]
    prev = {
        target_key("market.entity", f"{r}{i:04d}"): [str(p) for p in ps] for (r, i), ps in previous.items()
    }
    cov = [target_key("market.entity", f"{r}{i:04d}") for r, i in covered]
    result = run_draw(
        seed=seed.hex(),
        targets=pool,
        inspectors=people,
        inputs=inputs(rates=rates, previous=prev, covered=cov),
    )
    by_id = {str(p["id"]): p for p in people}
    drawn = result["targets"] + result["unassigned"]
    for risk in "ABCD":
        size = sum(1 for t in pool if t["risk"] == risk and target_key(t["kind"], t["id"]) not in cov)
        assert result["classes"][risk]["size"] == size
        assert sum(1 for t in drawn if t["risk"] == risk) == sample_size(rates[risk], size)
    assert not {target_key(t["kind"], t["id"]) for t in drawn} & set(cov)
    assert len({(t["kind"], t["id"]) for t in drawn}) == len(drawn)
    for t in result["targets"]:
        key = target_key(t["kind"], t["id"])
        assert len(t["inspectors"]) == 2 == len(set(t["inspectors"]))
        for pid in t["inspectors"]:
            assert by_id[pid]["valid_to"] >= "2026-12-07"
            assert key not in by_id[pid]["relations"]
            assert pid not in prev.get(key, [])
    for t in result["unassigned"]:
        assert t["eligible"] < 2 and "需 2 名" in t["reason"]


@pytest.mark.slow
def test_each_target_is_drawn_as_often_as_its_class_rate_within_four_sigma() -> None:
    pool = targets({"A": 50, "B": 25, "C": 10, "D": 2})
    rates = {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
    people = inspectors(4)
    runs = 2000
    counts: dict[str, int] = {}
    seats: dict[str, int] = {}
    for n in range(runs):
        seed = hashlib.sha256(n.to_bytes(4, "big")).hexdigest()
        result = run_draw(seed=seed, targets=pool, inspectors=people, inputs=inputs(rates=rates))
        for t in result["targets"]:
            counts[t["id"]] = counts.get(t["id"], 0) + 1
            for pid in t["inspectors"]:
                seats[pid] = seats.get(pid, 0) + 1
    for t in pool:
        p = float(rates[t["risk"]])
        mean, sigma = runs * p, math.sqrt(runs * p * (1 - p))
        assert abs(counts.get(t["id"], 0) - mean) <= 4 * sigma + 1e-9, (t["id"], counts.get(t["id"]))
    # Inspectors too: with 4 eligible and 2 drawn per target, each takes a target's seat with probability 1/2.
    assigned = sum(counts.values())
    for pid in ("1", "2", "3", "4"):
        assert abs(seats[pid] - assigned / 2) <= 4 * math.sqrt(assigned / 4)
