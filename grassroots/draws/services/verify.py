"""Re-run a stored draw from what was published: the pools, the seed, the inputs. Empty list: it matches."""

from ..algorithm import (
    ALGORITHM_VERSION,
    DrawInputError,
    DrawInputs,
    canonical_inspectors,
    canonical_targets,
    pool_digest,
    run_draw,
    seed_commitment,
)
from ..models import Draw


def draw_verify(draw: Draw) -> list[str]:
    """Each difference between the record and a recomputation, in Chinese (digests, commitment, result)."""
    problems: list[str] = []
    snapshot = draw.snapshot
    if draw.algorithm != ALGORITHM_VERSION:
        return [f"算法版本不同：记录为 {draw.algorithm}，本程序为 {ALGORITHM_VERSION}"]
    try:
        targets = canonical_targets(snapshot.targets)
        inspectors = canonical_inspectors(snapshot.inspectors)
    except DrawInputError as exc:
        return [f"名录无法解析：{exc}"]
    for label, rows, published, recorded in (
        ("检查对象名录", targets, snapshot.targets_digest, draw.targets_digest),
        ("执法人员名录", inspectors, snapshot.inspectors_digest, draw.inspectors_digest),
    ):
        digest = pool_digest(rows)
        if digest != published or digest != recorded:
            problems.append(f"{label}已变化：重算摘要 {digest}，公布摘要 {published}，抽取记录 {recorded}")
    try:
        commitment = seed_commitment(draw.seed)
    except DrawInputError as exc:
        return [*problems, f"种子无效：{exc}"]
    if commitment != snapshot.seed_hash or draw.seed_hash != snapshot.seed_hash:
        problems.append(
            f"种子与事先公布的承诺值不符：种子的哈希 {commitment}，公布的承诺值 {snapshot.seed_hash}"
        )
    result = run_draw(
        seed=draw.seed, targets=targets, inspectors=inspectors, inputs=DrawInputs.from_json(draw.inputs)
    )
    if result != draw.result:
        problems.append("重新运行的抽取结果与记录不同")
    return problems
