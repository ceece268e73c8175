"""API tokens for scripts: `api_token issue USERNAME --name … [--scope read|write] [--days N]`, `api_token list
[--user USERNAME]`, `api_token revoke ID`. The same services as the token page, audited as the system."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.core.errors import InvalidInput
from grassroots.people.choices import TokenScope
from grassroots.people.models import ApiToken, Person
from grassroots.people.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "签发、列出、吊销 API 令牌（供脚本使用；签发的令牌只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="为某人签发令牌，只在标准输出打印一次")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="令牌名称（用途）")
        issue.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        issue.add_argument("--days", type=int, default=90, help="有效天数（1–366；0 表示不过期）")
        listing = actions.add_parser("list", help="列出令牌（不含密钥）")
        listing.add_argument("--user", default="", help="只列出此用户名的令牌")
        revoke = actions.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _issue(self, *, username: str, name: str, scope: str, days: int, **_: Any) -> None:
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"没有用户名为 {username} 的人员")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            token, key = api_token_create(
                actor=None, person=person, name=name, scope=scope, expires_at=expires_at
            )
        except InvalidInput as refused:
            raise CommandError(refused.message) from None
        self.stderr.write(
            f"已签发令牌 #{token.pk}（{token.get_scope_display()}）给 {person.username}；密钥只显示这一次："
        )
        self.stdout.write(key)

    def _list(self, *, user: str, **_: Any) -> None:
        tokens = ApiToken.objects.select_related("person").order_by("-created_at", "-id")
        if user:
            tokens = tokens.filter(person__username=user)
        now = timezone.now()
        for t in tokens:
            expires = t.expires_at.isoformat(timespec="minutes") if t.expires_at else "-"
            self.stdout.write(
                f"{t.pk}\t{t.prefix}…\t{t.person.username}\t{t.scope}\t{t.status_at(now)}\t{expires}\t{t.name}"
            )

    def _revoke(self, *, token_id: int, **_: Any) -> None:
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"没有编号为 {token_id} 的令牌")
        if api_token_revoke(actor=None, token=token):
            self.stdout.write(f"已吊销令牌 #{token.pk}（{token.prefix}…）")
        else:
            self.stdout.write(f"令牌 #{token.pk} 此前已吊销")
