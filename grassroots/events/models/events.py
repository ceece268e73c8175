"""The event (事件): one problem running the closed loop, with its clocks and flags."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.org.choices import PlatformKind

from ..choices import CLOCKED_STATUSES, Level, Mode, Satisfaction, Source, Status, Urgency


class Event(models.Model):
    number = models.CharField(_("事件编号"), max_length=40, unique=True, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    # Indexed by `event_type_place_idx` and `event_type_status_idx` below, which both lead with it.
    event_type = models.ForeignKey(
        "events.EventType", verbose_name=_("分类"), on_delete=models.PROTECT, db_index=False
    )
    platform = models.CharField(_("平台"), max_length=16, choices=PlatformKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, default=Level.GRID)
    mode = models.CharField(_("办理方式"), max_length=16, choices=Mode.choices, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("描述"), blank=True)

    # Where: the point (WGS-84) mapped to its grid; or an address only.
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    grid = models.ForeignKey(
        "geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT
    )
    village = models.ForeignKey(
        "geo.Division",
        verbose_name=_("村社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "geo.Division",
        verbose_name=_("乡镇街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Grid code, or the most specific division code known; scope is a prefix match on it.
    region_code = models.CharField(_("区域代码"), max_length=14, db_index=True)
    outside_grid = models.BooleanField(_("不在任何网格内"), default=False)

    # Who reported it. Personal data: masked by role, hidden from handling units.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_events",
    )
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("反映人电话"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("反映人邮箱"), blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A retried submission with the same key returns the first event (unique per creator).
    idempotency_key = models.CharField(_("幂等键"), max_length=64, null=True, blank=True)

    # Who holds it now: the unit that must act next (command room, village, agency, centre).
    holder_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("当前责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # `event_holder_status_idx` leads with it
    )
    # First-contact responsibility (首问负责): the first receiver owns it until it is handed over.
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实/核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )

    # The current stage's clock (verification, handling or check): stored when it starts, moved only by
    # approved extensions. warn_at is the 80% point (yellow light).
    stage_started_at = models.DateTimeField(_("本阶段开始"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("本阶段期限"), null=True, blank=True)
    warned = models.BooleanField(_("已预警"), default=False)
    overdue = models.BooleanField(_("已超期"), default=False)
    # When it is due to be closed (for the on-time completion rate); set at dispatch.
    due_at = models.DateTimeField(_("结案期限"), null=True, blank=True)

    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重启次数"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    extended = models.BooleanField(_("已延期"), default=False)
    joint = models.BooleanField(_("联合处置"), default=False)
    leader_flagged = models.BooleanField(_("领导关注"), default=False)
    # Seed 003's routing (`routes.py`): the route chosen (or "leaders" while awaiting the leaders' 研判), the
    # leader's note, and the leader who owns it (研判 or 督办).
    route = models.CharField(_("分流路径"), max_length=24, blank=True)
    route_note = models.TextField(_("研判意见"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 双反馈: the result reached the command room, and the reporter was told (or declined contact).
    result_fed_back_at = models.DateTimeField(_("结果反馈指挥室时间"), null=True, blank=True)
    reporter_informed_at = models.DateTimeField(_("结果反馈反映人时间"), null=True, blank=True)
    reporter_declined = models.BooleanField(_("反映人谢绝回访"), default=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), choices=Satisfaction.choices, null=True, blank=True
    )

    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    last_step_at = models.DateTimeField(_("最近流转"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Bumped by every transition and equal to the number of history rows: the compare-and-set token,
    # and the `seq` of the next history row, so the history has no gaps.
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="event_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="event_status_deadline_idx"),
            models.Index(fields=["status", "warn_at"], name="event_status_warn_idx"),
            models.Index(fields=["event_type", "status", "reported_at"], name="event_type_status_idx"),
            models.Index(fields=["holder_unit", "status"], name="event_holder_status_idx"),
            # What the timer reads (services/timers.py): only clocked events not yet flagged are in these, so
            # they stay small however many events are open or long overdue (bench/bench_timer_scan.py).
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=CLOCKED_STATUSES, overdue=False),
                name="event_timer_due_idx",
            ),
            models.Index(
                fields=["warn_at"],
                condition=Q(status__in=CLOCKED_STATUSES, warned=False),
                name="event_timer_warn_idx",
            ),
            # Duplicate candidates: same type, a band of latitude around a new report.
            models.Index(fields=["event_type", "lat", "lon"], name="event_type_place_idx"),
            # The days a figure counts an event in (the rollups recount a township's day through these; a
            # month's figures read them). Partial: a report has none of them yet, so intake writes no entry.
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"event_{name}_idx"
                )
                for name in ("registered_at", "closed_at", "due_at")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '待编号'} {self.title}"
