"""A township's hard disputes for a 矛盾联调 meeting, made through the governance services (read, never changed
here): one of high risk, one whose mediation failed, one whose month ran out; and an ordinary one that is not hard.
Built on `grassroots.governance.tests.support` (its committee, mediators, Lena and the police station)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.governance.choices import ReferralRoute
from grassroots.governance.models import Dispute
from grassroots.governance.services import disputes, disputes_mediation
from grassroots.governance.tests.support import Committee, build_committee, report


@dataclass
class HardSet:
    c: Committee
    high: Dispute
    failed: Dispute
    late: Dispute
    ordinary: Dispute


def hard_set(world: Any, now: dt.datetime | None = None) -> HardSet:
    now = (now or timezone.now()).replace(microsecond=0)
    c = build_committee(world)

    def accepted(title: str, when: dt.datetime, **kwargs: Any) -> Dispute:
        d = report(c, title=title, now=when, **kwargs)
        return disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia], now=when)

    recent = now - dt.timedelta(days=2)
    high = accepted("两户因宅基地界线持械对峙", recent, risk_level="high", police_unit=c.police)
    failed = accepted("承包地流转费用纠纷", recent)
    disputes_mediation.dispute_record_session(
        actor=c.mia,
        dispute=failed,
        held_at=recent + dt.timedelta(hours=1),
        place="调解室",
        minutes="双方分歧过大",
        now=recent + dt.timedelta(hours=2),
    )
    disputes_mediation.dispute_fail(
        actor=c.mia,
        dispute=failed,
        reason="分歧过大",
        route=ReferralRoute.LITIGATION,
        now=recent + dt.timedelta(hours=3),
    )
    late = accepted("工地欠薪纠纷", now - dt.timedelta(days=45))  # the month ran out two weeks ago
    ordinary = accepted("邻里噪音纠纷", recent)
    return HardSet(c, high, failed, late, ordinary)
