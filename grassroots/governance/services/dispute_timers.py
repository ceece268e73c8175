"""What the one timer worker does with a dispute's clocks: tell its mediators before the month runs out and when it
has, and before and after the 30 日 to apply for 司法确认. No dispute moves by itself."""

import datetime as dt

from grassroots.notifications.services import notify_after_commit
from grassroots.workflow.models import Clock

from ..models import Dispute
from .disputes_common import Clocks

WARN_TEXT = {
    Clocks.MEDIATION: "调解期限（一个月）将到，请抓紧调结；当事人同意的可延长一次",
    Clocks.CONFIRMATION: "申请司法确认的期限（协议生效之日起三十日）将到，请提示当事人共同申请",
}
OVERDUE_TEXT = {
    Clocks.MEDIATION: "调解已超过一个月，请调结或终止调解并告知其他途径",
    Clocks.CONFIRMATION: "申请司法确认的期限已届满，请继续督促协议履行",
}


def _tell(clock: Clock, texts: dict[str, str], verb: str) -> None:
    text = texts.get(clock.name)
    dispute = Dispute.objects.filter(pk=clock.object_id).first()
    if text is None or dispute is None:
        return
    notify_after_commit(
        person_ids=list(dispute.mediators.values_list("pk", flat=True)),
        verb=verb,
        text=f"矛盾纠纷 {dispute.pk}（{dispute.title}）：{text}",
    )


def dispute_clock_warn(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, WARN_TEXT, "dispute_due_soon")


def dispute_clock_overdue(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, OVERDUE_TEXT, "dispute_overdue")
