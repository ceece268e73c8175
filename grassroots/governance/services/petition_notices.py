"""The written notices of a petition's steps (书面告知, 信访工作条例 第二十三、三十二、三十四–三十六条) as Word files:
受理告知书, 不予受理告知书, 转送告知书, 退回函, 重复信访告知书, 延期办理告知书, 信访处理意见书, 复查意见书, 复核意见书,
办结告知书. Each is addressed to the petitioners by name (an unmasked read, audited), names the matter, says what was
decided and why, and what the petitioner may do next and by when. Stored under MEDIA with its SHA-256 in
`PetitionDocument`, in the step's transaction; the step's history row repeats the digest."""

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile

from ..models import Petition, PetitionDocument, PetitionHistory
from ..petition_choices import NoticeKind, PetitionOutcome
from ..petition_permissions import petitioners_of
from .dispute_documents import render
from .petition_common import limit, local_day

NEXT_STEP = {
    NoticeKind.ANSWER: "如不服本处理意见，可以自收到本意见书之日起{days}日内向上一级机关请求复查。",
    NoticeKind.REVIEW: "如不服本复查意见，可以自收到本意见书之日起{days}日内向复查机关的上一级机关请求复核。",
    NoticeKind.RECHECK: "本复核意见为终结意见。信访人仍以同一事实和理由提出信访的，不再受理。",
    NoticeKind.REFUSAL: "如有新的事实和理由，可以依法重新提出。",
    NoticeKind.EXTENSION: "延长期限届满前将书面答复。",
}
NEXT_DAYS = {NoticeKind.ANSWER: "REVIEW_REQUEST_DAYS", NoticeKind.REVIEW: "RECHECK_REQUEST_DAYS"}


def notice_lines(
    petition: Petition, kind: str, body: list[str], *, viewer: Any, now: dt.datetime
) -> dict[str, Any]:
    """What the notice says, as plain data (the tests read the .docx back and compare)."""
    people = petitioners_of(viewer, petition, purpose=f"生成{NoticeKind(kind).label}")
    names = "、".join(p["name"] for p in people) or "信访人"
    closing = []
    notice = NoticeKind(kind)
    if notice in NEXT_STEP:
        days = limit(NEXT_DAYS[notice]) if notice in NEXT_DAYS else 0
        closing.append(NEXT_STEP[notice].format(days=days))
    leader = petition.leader.name if petition.leader_id and petition.leader else ""
    return {
        "title": str(NoticeKind(kind).label),
        "number": f"{petition.unit.name} 信字〔{local_day(petition.received_at):%Y}〕第 {petition.pk} 号",
        "parties": [f"{names}："],
        "sections": [
            (
                "信访事项",
                [
                    f"你（们）于{local_day(petition.received_at):%Y年%m月%d日}以{petition.get_channel_display()}形式"
                    f"提出的信访事项：{petition.title}"
                ],
            ),
            ("告知内容", [line for line in body if line.strip()] or ["—"]),
        ],
        "closing": closing,
        "signatures": ([f"包案领导：{leader}"] if leader else [])
        + [f"{petition.unit.name}（印章）", f"{local_day(now):%Y年%m月%d日}"],
    }


def outcome_line(outcome: str, text: str) -> list[str]:
    return [f"处理意见：{PetitionOutcome(outcome).label}。", *text.splitlines()]


def issue_notice(
    petition: Petition, kind: str, body: list[str], *, actor: Any, now: dt.datetime, row: PetitionHistory
) -> PetitionDocument:
    """Make the notice, store it with its digest, and name it in the step's history row."""
    data = render(notice_lines(petition, kind, body, viewer=actor, now=now))
    digest = hashlib.sha256(data).hexdigest()
    document = PetitionDocument(
        petition=petition, kind=kind, size=len(data), sha256=digest, generated_at=now, generated_by=actor
    )
    document.file.save(f"{kind}-{petition.pk}-{digest[:12]}.docx", ContentFile(data), save=False)
    document.save()
    row.data = {**row.data, "notice": {"kind": kind, "sha256": digest, "document": document.pk}}
    row.save(update_fields=["data"])
    return document
