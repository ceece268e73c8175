from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md §2. A person has one role; their scope comes from grid, division or unit."""

    GRID_WORKER = "grid_worker", _("网格员")  # patrols, reports, fixes small problems, verifies on site
    GRID_HEAD = "grid_head", _("网格长")  # leads a grid team
    GRID_INSTRUCTOR = "grid_instructor", _("网格指导员")  # a township cadre attached to a grid
    VOLUNTEER = "volunteer", _("网格志愿者")  # the "X" of 1+1+1+X; usually no login
    VILLAGE_STAFF = "village_staff", _("村社干部")  # handles level-2 events
    OPERATOR = "operator", _("受理员")  # command room: accepts, registers or voids
    DISPATCHER = "dispatcher", _("派遣员")  # command room: dispatches and supervises
    SHIFT_LEAD = "shift_lead", _("值班长")  # command room: closes, approves
    PLATFORM_COORDINATOR = "platform_coordinator", _("平台协调员")
    DEPARTMENT_STAFF = "department_staff", _("部门办理人员")  # signs for, handles, feeds back
    WINDOW_CLERK = "window_clerk", _("窗口人员")
    INSPECTOR = "inspector", _("执法人员")
    MEDIATOR = "mediator", _("调解员")
    LEADER = "leader", _("领导")
    CENTRE_OPERATOR = "centre_operator", _("区指挥中心人员")  # level-4 events, district-wide
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Roles that see personal data unmasked: they call reporters back or administer accounts.
# Handling units never see the reporter's identity (DOMAIN.md §10).
UNMASKED_ROLES = frozenset(
    {Role.OPERATOR, Role.DISPATCHER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR, Role.SECURITY_ADMIN}
)
# Roles whose scope is the grid itself.
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_HEAD, Role.VOLUNTEER})


class TokenScope(models.TextChoices):
    """What an API token may do: read only, or also write (POST/PUT/PATCH/DELETE)."""

    READ = "read", _("只读")  # GET only; a write answers 403 token_read_only
    WRITE = "write", _("读写")  # everything the person may do
