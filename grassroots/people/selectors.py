"""Reads of people that carry rules: personal data masked by role, and unmasked reads audited."""

from collections.abc import Iterable
from typing import Any

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone

from .choices import UNMASKED_ROLES
from .models import Person

PERSONAL_FIELDS = ("name", "phone", "id_number")


def sees_personal_data(viewer: Any, subject_id: int | None = None) -> bool:
    """Whether `viewer` sees personal data unmasked: by role, or because it is their own."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.is_superuser or viewer.role in UNMASKED_ROLES or viewer.pk == subject_id


def personal_data(
    *, viewer: Any, name: str, phone: str = "", id_number: str = "", subject_id: int | None = None
) -> dict[str, str]:
    """The name, phone and ID as this viewer may see them (no audit; see `people_personal_data`)."""
    if sees_personal_data(viewer, subject_id):
        return {"name": name, "phone": phone, "id_number": id_number}
    return {"name": mask_name(name), "phone": mask_phone(phone), "id_number": mask_id_number(id_number)}


def people_personal_data(*, viewer: Any, people: Iterable[Person], purpose: str) -> dict[int, dict[str, str]]:
    """Personal data of several people for one output, with one audit row per person shown unmasked."""
    people = list(people)
    shown = {
        p.pk: personal_data(viewer=viewer, name=p.name, phone=p.phone, id_number=p.id_number, subject_id=p.pk)
        for p in people
    }
    unmasked = [p for p in people if sees_personal_data(viewer, p.pk) and p.pk != getattr(viewer, "pk", None)]
    if unmasked:
        audit_record_read(actor=viewer, objects=unmasked, fields=PERSONAL_FIELDS, purpose=purpose)
    return shown
