"""The words of joint meetings and their decisions (DOMAIN.md §7 "Shared": 联席会议, 会商, 例会, 矛盾联调)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Forum(models.TextChoices):
    """Whose meeting it is: one of the four platforms' coordinating groups, or the command room's own."""

    COMMAND = "command", _("综合指挥室")  # the command room's regular meetings (工作例会制度, seed 003)
    GOVERNANCE = "governance", _("综治工作")
    MARKET = "market", _("市场监管")
    ENFORCEMENT = "enforcement", _("综合执法")
    SERVICE = "service", _("便民服务")


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("联席会议")  # the coordinating group with all member units
    CONSULTATION = "consultation", _("会商")  # incl. the enforcement platform's weekly 每周会商
    REGULAR = "regular", _("例会")  # the command room's and platforms' regular meetings
    MEDIATION = "mediation", _("矛盾联调")  # weekly joint mediation of hard disputes (seed 004, Shangyu)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")  # attendance taken; minutes and decisions being written
    CLOSED = "closed", _("纪要已审定")  # minutes approved: the record is final, its decisions run as tasks
    CANCELLED = "cancelled", _("已取消")


class Presence(models.TextChoices):
    INVITED = "invited", _("未签到")
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    LEAVE = "leave", _("请假")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("督办中")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
