"""The project's own system checks: production refuses the committed keys; development is warned (docs/security.md)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

KEY_TAG = "grassroots_keys"
MIN_KEY_LENGTH = 32


def _problem(production: bool, code: int, message: str, hint: str) -> checks.CheckMessage:
    if production:
        return checks.Error(message, hint=hint, id=f"grassroots.E{code:03d}")
    return checks.Warning(message + "（开发模式，仅限本机）", hint=hint, id=f"grassroots.W{code:03d}")


@checks.register(KEY_TAG)
def check_keys(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    production = getattr(settings, "PRODUCTION", False)
    problems = []
    secret, audit = settings.SECRET_KEY, settings.AUDIT_HMAC_KEY
    if secret == settings.DEVELOPMENT_SECRET_KEY or len(secret) < MIN_KEY_LENGTH:
        problems.append(
            _problem(
                production,
                1,
                "SECRET_KEY 未设置或过短：正在使用仓库中公开的开发密钥。",
                f"设置环境变量 SECRET_KEY（至少 {MIN_KEY_LENGTH} 个随机字符）。",
            )
        )
    if audit == settings.DEVELOPMENT_AUDIT_HMAC_KEY or len(audit) < MIN_KEY_LENGTH:
        problems.append(
            _problem(
                production,
                2,
                "AUDIT_HMAC_KEY 未设置或过短：任何人都能用公开的密钥重新签名审计记录。",
                f"设置环境变量 AUDIT_HMAC_KEY（至少 {MIN_KEY_LENGTH} 个随机字符），并长期保持不变。",
            )
        )
    elif audit == secret:
        problems.append(
            _problem(
                production,
                3,
                "AUDIT_HMAC_KEY 与 SECRET_KEY 相同。",
                "审计签名密钥单独设置：更换 SECRET_KEY 不应使审计日志无法核验。",
            )
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def check_retention(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from grassroots.audit.services import AUDIT_RETENTION_FLOOR_DAYS

    if settings.AUDIT_RETENTION_DAYS < AUDIT_RETENTION_FLOOR_DAYS:
        return [
            checks.Error(
                f"AUDIT_RETENTION_DAYS={settings.AUDIT_RETENTION_DAYS} 少于六个月（{AUDIT_RETENTION_FLOOR_DAYS} 天）。",
                id="grassroots.E004",
            )
        ]
    return []


def refuse_to_start_in_production() -> None:
    """Called by the WSGI/ASGI entry points: a server without real keys in production does not start."""
    from django.core.checks.registry import registry
    from django.core.management.base import SystemCheckError

    errors = [m for m in registry.run_checks(tags=[KEY_TAG]) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(f"{m.id}: {m.msg} {m.hint}" for m in errors))
