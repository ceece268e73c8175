"""Coordinating groups (平台协调组), configured per township: seed 003 names for each platform a leader (the
township's deputy secretary or the leader in charge) and the heads of named units as members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Forum, MemberRole


class CoordinatingGroup(models.Model):
    """One platform's coordinating group in one township, or the command room's regular-meeting group."""

    township = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        related_name="coordinating_groups",
        verbose_name=_("乡镇街道"),
    )
    forum = models.CharField(_("平台"), max_length=16, choices=Forum.choices)
    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组长"),
    )
    leader_title = models.CharField(_("组长职务"), max_length=50, blank=True, help_text=_("如：党委副书记"))
    office = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("日常管理办公室"),
    )
    schedule = models.CharField(_("例会安排"), max_length=100, blank=True, help_text=_("如：每周一上午"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("平台协调组")
        verbose_name_plural = _("平台协调组")
        ordering = ["township__code", "forum"]
        constraints = [
            models.UniqueConstraint(fields=["township", "forum"], name="meetings_group_one_per_forum")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A member unit of a group and the person who sits for it (its head)."""

    group = models.ForeignKey(
        CoordinatingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("协调组")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("成员单位")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    role = models.CharField(
        _("组内职务"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("协调组成员")
        verbose_name_plural = _("协调组成员")
        ordering = ["group", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "unit"], name="meetings_member_unit_once")]

    def __str__(self) -> str:
        return f"{self.unit}{self.title}"
