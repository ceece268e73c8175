"""Platforms, units, grid teams, A/B posts and absences (DOMAIN.md §2, §4)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AgencyClass, PlatformKind, TeamRole, UnitKind


class Unit(models.Model):
    """A unit (部门/机构): department, dispatched agency, township office, village committee, command room."""

    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    agency_class = models.CharField(
        _("派驻机构类别"), max_length=1, choices=AgencyClass.choices, blank=True, default=AgencyClass.NONE
    )
    division = models.ForeignKey(
        "geo.Division", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("派驻机构的县级主管部门"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=UnitKind.DISPATCHED_AGENCY, agency_class__in=["A", "B"])
                | (~Q(kind=UnitKind.DISPATCHED_AGENCY) & Q(agency_class="")),
                name="unit_agency_class_only_for_agencies",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """One of a township's four platforms, with its coordinating group and daily-management office."""

    township = models.ForeignKey(
        "geo.Division", verbose_name=_("乡镇街道"), on_delete=models.PROTECT, related_name="platforms"
    )
    kind = models.CharField(_("平台"), max_length=16, choices=PlatformKind.choices)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        Unit,
        verbose_name=_("日常管理办公室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(Unit, verbose_name=_("成员单位"), blank=True, related_name="platforms")

    class Meta:
        verbose_name = _("平台")
        verbose_name_plural = _("平台")
        ordering = ["township__code", "kind"]
        constraints = [models.UniqueConstraint(fields=["township", "kind"], name="platform_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.township.name}{self.get_kind_display()}平台"


class TeamMembership(models.Model):
    """A place in a grid team ("1+1+1+X"), with dates."""

    grid = models.ForeignKey(
        "geo.Grid", verbose_name=_("网格"), on_delete=models.CASCADE, related_name="team"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("团队角色"), max_length=16, choices=TeamRole.choices)
    start = models.DateField(_("开始日期"), default=dt.date.today)
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("网格团队成员")
        verbose_name_plural = _("网格团队成员")
        ordering = ["grid__code", "role"]

    def __str__(self) -> str:
        return f"{self.grid.name} {self.get_role_display()} {self.person.name}"


class BackupPost(models.Model):
    """An A/B post (AB岗): when the holder is absent, work routes to the backup."""

    name = models.CharField(_("岗位"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="backup_posts"
    )
    holder = models.ForeignKey(
        "people.Person", verbose_name=_("A岗"), on_delete=models.CASCADE, related_name="posts_held"
    )
    backup = models.ForeignKey(
        "people.Person", verbose_name=_("B岗"), on_delete=models.CASCADE, related_name="posts_backed"
    )

    class Meta:
        verbose_name = _("AB岗")
        verbose_name_plural = _("AB岗")
        constraints = [
            models.CheckConstraint(
                condition=~Q(holder=models.F("backup")), name="backup_post_distinct_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.holder.name} / {self.backup.name}"


class Absence(models.Model):
    """A period a person is away (请假/出差), so work addressed to them goes to their backup."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="absences"
    )
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    reason = models.CharField(_("事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("请假/外出")
        verbose_name_plural = _("请假/外出")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="absence_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"
