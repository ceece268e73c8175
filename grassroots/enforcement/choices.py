"""The words of the comprehensive-enforcement platform (DOMAIN.md §7, 综合执法)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerCategory(models.TextChoices):
    """The kind of power (职权类型), with the national 事项类型 codes."""

    PENALTY = "CF", _("行政处罚")
    COMPULSION = "QZ", _("行政强制")
    INSPECTION = "JC", _("行政检查")
    OTHER = "QT", _("其他行政权力")


class DiscretionLevel(models.TextChoices):
    """裁量阶次 of a discretion table, from the lightest to the heaviest."""

    NONE = "none", _("不予处罚")
    MITIGATED = "mitigated", _("减轻处罚")
    LIGHTER = "lighter", _("从轻处罚")
    GENERAL = "general", _("一般处罚")
    HEAVIER = "heavier", _("从重处罚")
