"""The words of 双随机、一公开 (DOMAIN.md §7, 市场监管; later 综合执法)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """A draw plan's state; only the services in services/ set it (table: rules.PLAN_MOVES)."""

    DRAFT = "draft", _("草稿")  # items, units and rates still editable
    FROZEN = "frozen", _("已冻结")  # pools and seed commitment published, waiting for the draw
    DRAWN = "drawn", _("已抽取")  # seed revealed, result recorded; results being entered
    PUBLISHED = "published", _("已公示")  # results published (一公开)


class RiskClass(models.TextChoices):
    """Credit risk class of a target (A low … D high)."""

    A = "A", _("A 低风险")
    B = "B", _("B 中低风险")
    C = "C", _("C 中高风险")
    D = "D", _("D 高风险")


class TargetKind(models.TextChoices):
    """The kinds of target an item may name; the app owning each kind registers its pool (pools.py)."""

    MARKET_ENTITY = "market.entity", _("市场主体")
