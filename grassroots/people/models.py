"""People and their accounts (DOMAIN.md §2): one row per person, with a login where they have one."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role, TokenScope


class PersonManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        person = self.model(username=username, email=self.normalize_email(email or ""), **extra_fields)
        person.set_password(password)
        person.save(using=self._db)
        return person


class Person(AbstractBaseUser, PermissionsMixin):
    """A person: staff with an account, or a grid volunteer without one (unusable password)."""

    username = models.CharField(_("用户名"), max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    division = models.ForeignKey(
        "geo.Division",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "geo.Grid",
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The code of the grid or division this person belongs to; scope is a prefix match on it.
    region_code = models.CharField(_("区域代码"), max_length=14, blank=True, db_index=True)
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Keep the scope anchor in step with grid/division; the most specific one wins.
        if self.grid is not None:
            self.region_code = self.grid.code
        elif self.division is not None:
            self.region_code = self.division.code
        else:
            self.region_code = ""
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for API clients (the phone front end, integrations). Only its hash is stored."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    scope = models.CharField(_("权限"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE)
    # None: never expires (tokens issued before expiry existed, and scripts that ask for it).
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def status_at(self, now: dt.datetime) -> str:
        """有效 / 已过期 / 已吊销, for lists."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


class SecondFactor(models.Model):
    """A person's TOTP second factor (RFC 6238). Unconfirmed until a first code proves the phone holds the
    secret; only a confirmed factor is asked for at login."""

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="second_factor"
    )
    # The shared secret (base32); the authenticator app holds the other copy.
    secret = models.CharField(_("密钥"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    # The 30-second step of the last accepted code: a code is accepted once (no replay within its window).
    last_step = models.BigIntegerField(_("最近使用的时间步"), default=0)

    class Meta:
        verbose_name = _("双因素认证")
        verbose_name_plural = _("双因素认证")

    def __str__(self) -> str:
        return f"{self.person_id} {'confirmed' if self.confirmed_at else 'pending'}"


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost; only its SHA-256 is stored, and it is spent on first use."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("摘要"), max_length=64, unique=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.person_id} {'used' if self.used_at else 'unused'}"
