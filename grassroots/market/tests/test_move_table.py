"""The inspection's table, walked: every action from every state by an inspector named on it and by the unit's
staff either lands where `rules.TABLE` says or is refused with `invalid_transition` / `not_permitted`, and a refusal
changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office

from ..choices import FindingStatus, InspectionStatus
from ..models import Finding, Inspection
from ..permissions import inspection_actor_kinds
from ..rules import INSPECTION
from ..services.inspection_steps import inspection_penalize, inspection_recheck, inspection_record
from ..services.inspections import inspection_cancel, inspection_create
from .support import make_entity

JPEG = sample_jpeg()


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")


CALLS: dict[str, Callable[[Any, Inspection], Any]] = {
    "record": lambda actor, i: inspection_record(
        actor=actor,
        inspection=i,
        conclusion="problems",
        findings=[{"description": "问题"}],
        photos=[_photo()],
    ),
    "recheck": lambda actor, i: inspection_recheck(
        actor=actor, inspection=i, rectified=list(i.findings.values_list("pk", flat=True)), photos=[_photo()]
    ),
    "penalize": lambda actor, i: inspection_penalize(
        actor=actor,
        inspection=i,
        decision_no=f"N-{i.pk}-{i.version}-{actor.pk}",
        kind="warning",
        procedure="simple",
        amount=0,
        violation="违法事实",
        legal_basis="依据",
        decided_on=timezone.localdate(),
    ),
    "cancel": lambda actor, i: inspection_cancel(actor=actor, inspection=i, reason="停业"),
}


@pytest.mark.parametrize("status", InspectionStatus.values)
@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("who", ["inspector", "unit"])
def test_every_action_from_every_state(world, status, action, who):
    office = build_office(world)
    inspector = office.inspectors[0].person
    inspection = inspection_create(
        actor=office.dora,
        entity=make_entity(world, 1),
        kind="routine",
        unit=world.agency,
        inspectors=[inspector],
    )
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    if status == InspectionStatus.RECTIFYING:
        Finding.objects.create(
            inspection=inspection,
            description="问题",
            status=FindingStatus.OPEN,
            rectify_by=timezone.localdate(),
        )
    inspection.refresh_from_db()
    actor = inspector if who == "inspector" else office.dora
    kinds = inspection_actor_kinds(inspection, actor)
    refusal = INSPECTION.refusal(action, status, kinds)
    before = inspection.version
    if refusal is None:
        CALLS[action](actor, inspection)
        inspection.refresh_from_db()
        assert inspection.status in {t or status for t in INSPECTION.targets(action, status)}
        assert inspection.version == before + 1
    else:
        with pytest.raises(DomainError) as exc:
            CALLS[action](actor, inspection)
        expected = "not_permitted" if INSPECTION.moves_for(action, status) else "invalid_transition"
        assert exc.value.code == expected
        inspection.refresh_from_db()
        assert inspection.version == before and inspection.status == status
