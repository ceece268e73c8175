from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformKind(models.TextChoices):
    """The four platforms (四个平台); fixed kinds, one of each per township."""

    GOVERNANCE = "governance", _("综治工作")  # public security and comprehensive governance
    MARKET = "market", _("市场监管")
    ENFORCEMENT = "enforcement", _("综合执法")
    SERVICE = "service", _("便民服务")


class UnitKind(models.TextChoices):
    COUNTY_DEPARTMENT = "county_department", _("县级部门")
    DISPATCHED_AGENCY = "dispatched_agency", _("派驻机构")  # police station, justice office, ...
    TOWNSHIP_OFFICE = "township_office", _("乡镇科室")
    VILLAGE_COMMITTEE = "village_committee", _("村社区")
    COMMAND_ROOM = "command_room", _("乡镇综合信息指挥室")
    COMMAND_CENTRE = "command_centre", _("区社会治理综合指挥中心")


class AgencyClass(models.TextChoices):
    A = "A", _("A类（属地管理）")  # fully managed by the township
    B = "B", _("B类（双重管理）")  # dual management, township first
    NONE = "", _("不适用")


class TeamRole(models.TextChoices):
    """The "1+1+1+X" grid team."""

    HEAD = "head", _("网格长")
    INSTRUCTOR = "instructor", _("网格指导员")
    WORKER = "worker", _("专职网格员")
    PART_TIME = "part_time", _("兼职网格员")
    VOLUNTEER = "volunteer", _("网格志愿者")
