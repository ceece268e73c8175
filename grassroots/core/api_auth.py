"""API authentication: a bearer token for clients, or the browser's session (with CSRF).

A read-only token is refused on every unsafe method here, once for the whole API, so no endpoint can forget it.
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from grassroots.core.errors import Forbidden
from grassroots.people.choices import TokenScope
from grassroots.people.duties import refuse_out_of_duty
from grassroots.people.services import api_token_authenticate
from grassroots.people.throttle import client_address

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = api_token_authenticate(token, address=client_address(request))
        if person is None:
            return None
        if getattr(person, "token_scope", TokenScope.WRITE) != TokenScope.WRITE and (
            request.method not in SAFE_METHODS
        ):
            raise Forbidden(
                "此令牌只读，不能提交或修改数据；请签发一个“读写”令牌",
                code="token_read_only",
                details={"method": request.method},
            )
        refuse_out_of_duty(request, person)
        request.user = person
        return person


API_AUTH = [TokenAuth(), SessionAuth()]
