"""API authentication: a bearer token for clients, or the browser's session (with CSRF)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from grassroots.people.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = api_token_authenticate(token)
        if person is not None:
            request.user = person
        return person


API_AUTH = [TokenAuth(), SessionAuth()]
