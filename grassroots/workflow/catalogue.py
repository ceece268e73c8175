"""Versioned catalogue entries: the event types, service items, powers and dispute types that limits come from.

Each row is one version of an entry (code + version number). A version is drafted, then published with a
validity window [valid_from, valid_until); publishing the next one closes the window of the one before, so at
any moment at most one version of a code is in force. An instance keeps a foreign key to the row it started
under, so later versions never change what it was promised. The services are in `publishing.py`.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.workcal.choices import LimitUnit

from .choices import CatalogueStatus

IN_FORCE = (CatalogueStatus.PUBLISHED, CatalogueStatus.RETIRED)


class CatalogueQuerySet(models.QuerySet[Any]):
    def in_force(self, at: dt.datetime | None = None) -> "CatalogueQuerySet":
        """The versions in force at `at` (default now): one per code at most."""
        at = at or timezone.now()
        return self.filter(status__in=IN_FORCE, valid_from__lte=at).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at)
        )


def limit_problem(statutory: Decimal | None, promised: Decimal | None, unit: str) -> tuple[str, str] | None:
    """What is wrong with a limit pair, as (code, message), or None: the one rule `clean()`, the publish
    guard and the database check share."""
    if statutory is not None and not unit:
        return "limit_unit_missing", "请选择时限单位"
    if (statutory is not None and statutory <= 0) or (promised is not None and promised <= 0):
        return "limit_not_positive", "时限必须大于零"
    if promised is not None and statutory is None:
        return "promise_without_statutory", "填写承诺时限前须先填写法定时限"
    if promised is not None and statutory is not None and promised > statutory:
        return "promise_exceeds_statutory", "承诺时限不得长于法定时限"
    return None


class CatalogueVersion(models.Model):
    """One version of a catalogue entry (目录版本), with its statutory and promised limit.

    The limit pair is optional: an entry whose limits live in its own rows (an event type's limit per level)
    may leave it empty. A promise needs a statutory limit and may not exceed it (Open Zaak's doorlooptijd and
    servicenorm). Concrete models override `code` when they need another label or length.
    """

    code = models.CharField(_("代码"), max_length=32)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("版本状态"), max_length=16, choices=CatalogueStatus.choices, default=CatalogueStatus.DRAFT
    )
    valid_from = models.DateTimeField(_("生效时间"), null=True, blank=True)
    valid_until = models.DateTimeField(_("失效时间"), null=True, blank=True)
    limit_unit = models.CharField(
        _("时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS, blank=True
    )
    statutory_limit = models.DecimalField(
        _("法定时限"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    promised_limit = models.DecimalField(_("承诺时限"), max_digits=6, decimal_places=1, null=True, blank=True)

    # Reverse relations whose rows belong to the version and are copied into a new draft (e.g. "limits").
    catalogue_copy_related: ClassVar[tuple[str, ...]] = ()

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="%(app_label)s_%(class)s_code_version"),
            # The publish service closes the previous window first; this makes a lost race fail, not overlap.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status=CatalogueStatus.PUBLISHED, valid_until__isnull=True),
                name="%(app_label)s_%(class)s_one_open_published",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status=CatalogueStatus.DRAFT),
                name="%(app_label)s_%(class)s_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(promised_limit__isnull=True)
                | Q(statutory_limit__isnull=False, promised_limit__lte=models.F("statutory_limit")),
                name="%(app_label)s_%(class)s_promise_within_statutory",
            ),
            models.CheckConstraint(
                condition=Q(status=CatalogueStatus.DRAFT) | Q(valid_from__isnull=False),
                name="%(app_label)s_%(class)s_in_force_has_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_window_not_empty",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        problem = limit_problem(self.statutory_limit, self.promised_limit, self.limit_unit)
        if problem is not None:
            code, message = problem
            field = "limit_unit" if code == "limit_unit_missing" else "promised_limit"
            raise ValidationError({field: ValidationError(message, code=code)})

    def catalogue_problems(self) -> list[tuple[str, str]]:
        """Entry-specific reasons this draft may not be published, as (code, message); override to add."""
        return []

    @property
    def version_label(self) -> str:
        return f"{self.code} v{self.version}"

    def limit_label(self, amount: Decimal | float, unit: str) -> str:
        """How a history row names the limit a clock started with, e.g. "ZF0103 v2：5 工作日"."""
        return f"{self.version_label}：{Decimal(amount).normalize():f} {LimitUnit(unit).label}"
