from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    """What kind of visit a grid worker logs (走访日志)."""

    HOUSEHOLD = "household", _("入户走访")  # a household of the grid
    ENTERPRISE = "enterprise", _("企业走访")  # a shop, farm or company (its name is not personal data)
    # People under care or watch: the elderly living alone, people on community correction...
    KEY_PERSON = "key_person", _("重点人员")


# Kinds whose visited party is a person: their name and address are personal data, masked by role.
PERSONAL_KINDS = frozenset({VisitKind.HOUSEHOLD, VisitKind.KEY_PERSON})
