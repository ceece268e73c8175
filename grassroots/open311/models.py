"""Open311 clients, the extra questions a service asks, the public side of each request, and rate counters."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LIST_DATATYPES, Channel, Datatype


class OpenClient(models.Model):
    """An application allowed to file requests (e.g. a city app); admins issue and revoke its key.

    Each client files through its own service account (an inactive person without a password), so its retries are
    idempotent per client and the audit log names the client.
    """

    name = models.CharField(_("客户端名称"), max_length=100)
    contact = models.CharField(_("联系人/联系方式"), max_length=200, blank=True)
    district = models.ForeignKey(
        "geo.Division",
        verbose_name=_("辖区（区县）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("密钥只能向该区县提交"),
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="open_client",
    )
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("密钥前缀"), max_length=8)
    rate_limit_per_minute = models.PositiveIntegerField(_("每分钟提交上限"), default=60)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def usable(self) -> bool:
        return self.is_active and self.revoked_at is None


class ServiceAttribute(models.Model):
    """An extra question a service (a public event type) asks the reporter (GeoReport service definition)."""

    event_type = models.ForeignKey(
        "events.EventType",
        verbose_name=_("事件分类"),
        on_delete=models.CASCADE,
        related_name="open311_attributes",
    )
    code = models.SlugField(_("代码"), max_length=50)
    datatype = models.CharField(_("数据类型"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("必填"), default=False)
    # False: an informational line shown to the reporter, not a question.
    variable = models.BooleanField(_("需要填写"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"))
    description = models.CharField(_("问题"), max_length=200)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    # For list datatypes: [{"key": "...", "name": "..."}].
    values = models.JSONField(_("可选值"), default=list, blank=True)

    class Meta:
        verbose_name = _("Open311 服务属性")
        verbose_name_plural = _("Open311 服务属性")
        ordering = ["event_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "code"], name="service_attribute_code_unique"),
            models.UniqueConstraint(fields=["event_type", "order"], name="service_attribute_order_unique"),
            models.CheckConstraint(condition=models.Q(order__gte=1), name="service_attribute_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type.code}.{self.code}"

    def clean(self) -> None:
        values: Any = self.values
        if self.datatype in LIST_DATATYPES:
            if not isinstance(values, list) or not values:
                raise ValidationError({"values": '单选/多选须列出可选值：[{"key": …, "name": …}]'})
            keys = []
            for item in values:
                if not isinstance(item, dict) or not str(item.get("key", "")).strip() or not item.get("name"):
                    raise ValidationError({"values": "每个可选值须有 key 和 name"})
                keys.append(str(item["key"]))
            if len(set(keys)) != len(keys):
                raise ValidationError({"values": "可选值的 key 不能重复"})
        elif values:
            raise ValidationError({"values": "只有单选/多选属性才有可选值"})

    def value_names(self) -> dict[str, str]:
        return {str(v["key"]): str(v["name"]) for v in self.values or []}


class Open311Request(models.Model):
    """The public side of an event filed by a citizen: through a client or the report page.

    Only events with one of these rows are published by the Open311 endpoints and the report page. The
    reporter's contact details stay on the event (masked by role); nothing here is personal except the ids a
    client chose to send, which are never published.
    """

    event = models.OneToOneField(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="open311"
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    client = models.ForeignKey(
        OpenClient,
        verbose_name=_("客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    # A secret handle for following the request (GeoReport tokens, and the report page's tracking link).
    token = models.CharField(_("查询码"), max_length=32, unique=True)
    device_id = models.CharField(_("设备标识"), max_length=100, blank=True)
    account_id = models.CharField(_("客户端账号"), max_length=100, blank=True)
    address_id = models.CharField(_("地址编码"), max_length=32, blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    # Answers to the service's attributes: {code: value} (a list for multivaluelist).
    attributes = models.JSONField(_("补充信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公众上报")
        verbose_name_plural = _("公众上报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.event_id}"


class RateCounter(models.Model):
    """Hits of one key (a client, an address) in one time window; shared by every worker through the database."""

    key = models.CharField(_("计数键"), max_length=100)
    window_start = models.DateTimeField(_("窗口开始"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M} {self.count}"
