"""Each step of an application as people and programs take it: its input schema, its words and its one service
call. With `rules.TABLE` this is the whole declaration: the JSON endpoints `POST /api/v1/applications/{id}/<action>`
and the application page's forms are made from it."""

from dataclasses import replace
from typing import Any

from grassroots.workflow.declaration import StepDecl as Step

from . import services
from .rules import APPLICATION, RECTIFICATION
from .schemas import (
    AcceptIn,
    ContactIn,
    CorrectionIn,
    DecideIn,
    DeliverIn,
    NoteIn,
    RateIn,
    ReasonIn,
    ReceiveIn,
    RectifyIn,
    ReviewIn,
    SupplyIn,
    SuspendIn,
    TransferIn,
    VisitIn,
)

DESK = "窗口工作人员、当前经办人（或其 B 岗）"


def _correction(actor: Any, application: Any, payload: CorrectionIn, files: list[Any]) -> Any:
    items = [{"material": i.material_id, "name": i.name, "reason": i.reason} for i in payload.items]
    return services.application_request_correction(
        actor=actor, application=application, items=items, note=payload.note
    )


STEPS = [
    Step(
        "receive",
        ReceiveIn,
        f"接件（代办转交的办件，{DESK}）",
        lambda actor, a, p, f: services.application_receive(
            actor=actor, application=a, window_id=p.window_id, note=p.note
        ),
    ),
    Step(
        "accept",
        AcceptIn,
        f"受理（{DESK}）",
        lambda actor, a, p, f: services.application_accept(
            actor=actor, application=a, pending=p.pending_material_ids, note=p.note
        ),
    ),
    Step("request_correction", CorrectionIn, f"一次性告知补正，计时暂停（{DESK}、办理单位）", _correction),
    Step(
        "supply",
        SupplyIn,
        f"材料补齐，恢复计时并受理（{DESK}）",
        lambda actor, a, p, f: services.application_supply(
            actor=actor, application=a, in_person=p.in_person, note=p.note
        ),
        labels={"in_person": "申请人到现场补交"},
    ),
    Step(
        "reject",
        ReasonIn,
        f"不予受理，须书面说明理由（{DESK}）",
        lambda actor, a, p, f: services.application_reject(actor=actor, application=a, reason=p.reason),
        folded=True,
        labels={"reason": "不予受理理由"},
    ),
    Step(
        "transfer",
        TransferIn,
        f"转办到其他单位（{DESK}、办理单位）",
        lambda actor, a, p, f: services.application_transfer(
            actor=actor, application=a, unit_id=p.unit_id, note=p.note
        ),
        folded=True,
    ),
    Step(
        "suspend",
        SuspendIn,
        f"进入特别程序，计时暂停（{DESK}、办理单位）",
        lambda actor, a, p, f: services.application_suspend(
            actor=actor, application=a, kind=p.kind, reason=p.reason
        ),
        folded=True,
    ),
    Step(
        "resume",
        NoteIn,
        f"特别程序结束，恢复计时（{DESK}、办理单位）",
        lambda actor, a, p, f: services.application_resume(actor=actor, application=a, note=p.note),
    ),
    Step(
        "decide",
        DecideIn,
        f"办结：准予、容缺准予或不予许可（{DESK}、办理单位）",
        lambda actor, a, p, f: services.application_decide(
            actor=actor,
            application=a,
            result=p.result,
            note=p.note,
            reason=p.reason,
            appeal_route=p.appeal_route,
        ),
    ),
    Step(
        "deliver",
        DeliverIn,
        f"送达：窗口领取、邮寄或电子送达（{DESK}）",
        lambda actor, a, p, f: services.application_deliver(
            actor=actor, application=a, method=p.method, tracking_number=p.tracking_number, note=p.note
        ),
    ),
    Step(
        "archive",
        NoteIn,
        f"归档（{DESK}）",
        lambda actor, a, p, f: services.application_archive(actor=actor, application=a, note=p.note),
    ),
    Step(
        "withdraw",
        ReasonIn,
        f"撤件（{DESK}、代办员）",
        lambda actor, a, p, f: services.application_withdraw(actor=actor, application=a, reason=p.reason),
        folded=True,
        labels={"reason": "撤件原因"},
    ),
    Step(
        "record_visit",
        VisitIn,
        f"登记申请人到现场一次，计入“跑动次数”（{DESK}）",
        lambda actor, a, p, f: services.application_record_visit(
            actor=actor, application=a, kind=p.kind, note=p.note
        ),
        folded=True,
    ),
    Step(
        "rate",
        RateIn,
        f"好差评：窗口评价器或电话回访代录（{DESK}）",
        lambda actor, a, p, f: services.application_rate(
            actor=actor, application=a, grade=p.grade, channel=p.channel, comment=p.comment
        ),
    ),
]
APPLICATION_FLOW = replace(APPLICATION, steps=STEPS)

RECTIFICATION_STEPS = [
    Step(
        "contact",
        ContactIn,
        "回访差评申请人（整改责任人或其 B 岗、中心工作人员）",
        lambda actor, r, p, f: services.rectification_contact(actor=actor, rectification=r, note=p.note),
    ),
    Step(
        "rectify",
        RectifyIn,
        "登记整改措施（整改责任人或其 B 岗、中心工作人员）",
        lambda actor, r, p, f: services.rectification_rectify(
            actor=actor, rectification=r, measures=p.measures
        ),
    ),
    Step(
        "review",
        ReviewIn,
        "登记申请人对整改的评价（整改责任人或其 B 岗、中心工作人员）",
        lambda actor, r, p, f: services.rectification_review(
            actor=actor, rectification=r, review=p.review, note=p.note
        ),
    ),
]
RECTIFICATION_FLOW = replace(RECTIFICATION, steps=RECTIFICATION_STEPS)
