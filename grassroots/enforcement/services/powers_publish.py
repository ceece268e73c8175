"""Publishing a power and taking it off the public list (行政处罚法 第三十四条: 裁量基准 are published): each one
compare-and-set on `published`, audited in the same transaction, refused to whoever does not manage the power's
unit, and publishing refused while the power breaks a rule of `powers_rules.publish_problems`."""

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.people.actors import Actor

from ..models import Power
from .powers_access import may_manage_power
from .powers_rules import publish_problems


def _check_actor(actor: Actor, power: Power, verb: str) -> None:
    if actor is not None and not may_manage_power(actor, power):
        raise Forbidden(
            f"只有系统管理员和本乡镇综合执法平台协调员可以{verb}职权", code="power_manage_forbidden"
        )


def _flip(power: Power, *, published: bool) -> None:
    """Compare-and-set: refused if another request moved the power first."""
    moved = Power.objects.filter(pk=power.pk, published=not published).update(
        published=published, updated_at=timezone.now()
    )
    if moved != 1:
        state = "已公布" if published else "未公布"
        raise Conflict(f"职权 {power.code} {state}，无需重复操作", code="power_state_changed")
    power.refresh_from_db(fields=["published", "updated_at"])


def power_publish(*, actor: Actor, power: Power) -> Power:
    """Put the power, with its discretion table, on the public list."""
    _check_actor(actor, power, "公布")
    problems = publish_problems(
        category=power.category, penalty_basis=power.penalty_basis, discretion=list(power.discretion or [])
    )
    if problems:
        raise InvalidInput(
            "；".join(p.message for p in problems),
            code=problems[0].code,
            details={"problems": [p.code for p in problems]},
        )
    with transaction.atomic():
        _flip(power, published=True)
        audit_record(actor=actor, action="power.publish", obj=power, detail={"code": power.code})
    return power


def power_unpublish(*, actor: Actor, power: Power) -> Power:
    """Take the power off the public list (it stays on the staff's list)."""
    _check_actor(actor, power, "撤回")
    with transaction.atomic():
        _flip(power, published=False)
        audit_record(actor=actor, action="power.unpublish", obj=power, detail={"code": power.code})
    return power
