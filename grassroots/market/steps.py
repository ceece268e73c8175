"""Each step of an inspection as people and programs take it: its input schema, its words and its one service
call. With `rules.TABLE` this is the whole declaration: `POST /api/v1/inspections/{id}/<action>` and the
inspection page's forms are made from it."""

from dataclasses import replace

from grassroots.workflow.declaration import StepDecl as Step

from .rules import INSPECTION
from .schemas import CancelIn, PenaltyIn, RecheckIn, RecordIn
from .services.inspection_steps import inspection_penalize, inspection_recheck, inspection_record
from .services.inspections import inspection_cancel

STEPS = [
    Step(
        "record",
        RecordIn,
        "录入检查结果：检查表、检查结果、发现的问题（逐条）和现场照片；发现问题即责令限期整改（本次检查人员）",
        lambda actor, i, p, files: inspection_record(
            actor=actor,
            inspection=i,
            conclusion=p.conclusion,
            summary=p.summary,
            checklist=[c.model_dump() for c in p.checklist],
            findings=[f.model_dump() for f in p.findings],
            rectify_days=p.rectify_days,
            photos=files,
        ),
        multipart=True,
    ),
    Step(
        "recheck",
        RecheckIn,
        "复查：确认已整改的问题，须上传现场照片；全部整改即办结，否则给出新的整改期限（本次检查人员）",
        lambda actor, i, p, files: inspection_recheck(
            actor=actor,
            inspection=i,
            rectified=p.rectified_ids,
            note=p.note,
            rectify_days=p.rectify_days,
            photos=files,
        ),
        multipart=True,
        files_required=True,
    ),
    Step(
        "penalize",
        PenaltyIn,
        "登记行政处罚：决定书文号、种类、程序、金额、违法事实和依据（检查人员、检查单位）",
        lambda actor, i, p, files: inspection_penalize(
            actor=actor,
            inspection=i,
            decision_no=p.decision_no,
            kind=p.kind,
            procedure=p.procedure,
            amount=p.amount,
            violation=p.violation,
            legal_basis=p.legal_basis,
            decided_on=p.decided_on,
        ),
        folded=True,
    ),
    Step(
        "cancel",
        CancelIn,
        "取消尚未开展的检查，须说明理由；双随机抽查任务只能经批准重新抽取（检查单位）",
        lambda actor, i, p, files: inspection_cancel(actor=actor, inspection=i, reason=p.reason),
        folded=True,
    ),
]

INSPECTION_FLOW = replace(INSPECTION, steps=STEPS)
