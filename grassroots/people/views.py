"""The API token page (/account/tokens/): a person issues, lists and revokes their own tokens; an administrator
also sees and revokes everyone's. A new token's key is shown once, on the answer to the form, and never again."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core.errors import InvalidInput

from .actors import person_of
from .forms import TokenForm
from .models import ApiToken
from .permissions import access_token, administers_tokens, tokens_visible_to
from .selectors import people_personal_data
from .services import api_token_create, api_token_revoke

OWN_LIMIT = 100
PER_PAGE = 50
STATUS_LABELS = {"active": "有效", "expired": "已过期", "revoked": "已吊销"}


def _rows(tokens: list[ApiToken], owners: dict[int, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for token in tokens:
        status = token.status_at(now)
        row: dict[str, Any] = {"token": token, "status": status, "status_label": STATUS_LABELS[status]}
        if owners is not None:
            row["owner"] = owners[token.person_id]["name"]
        rows.append(row)
    return rows


def _context(request: HttpRequest, form: TokenForm) -> dict[str, Any]:
    person = person_of(request)
    own = list(ApiToken.objects.filter(person=person).order_by("-created_at", "-id")[:OWN_LIMIT])
    context: dict[str, Any] = {"form": form, "own": _rows(own), "administers": administers_tokens(person)}
    if context["administers"]:
        everyone = tokens_visible_to(person).select_related("person").order_by("-created_at", "-id")
        page = Paginator(everyone, PER_PAGE).get_page(request.GET.get("page"))
        tokens = list(page.object_list)
        owners = {t.person_id: t.person for t in tokens}
        shown = people_personal_data(viewer=person, people=owners.values(), purpose="page.api_tokens")
        context.update(page=page, everyone=_rows(tokens, shown))
    return context


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = TokenForm(request.POST or None)
    issued: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_create(
                actor=person,
                person=person,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except InvalidInput as refused:
            form.add_error(None, refused.message)
        else:
            issued = {"token": token, "key": key}
            form = TokenForm()
    response = render(request, "people/tokens.html", {**_context(request, form), "issued": issued})
    response["Cache-Control"] = "no-store"  # the page may hold a key shown once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of your tokens (an administrator: anyone's); someone else's answers 404."""
    person = person_of(request)
    token = access_token(person, token_id)
    if api_token_revoke(actor=person, token=token):
        messages.success(request, f"已吊销令牌“{token.name}”（{token.prefix}…），使用它的请求将立即被拒绝")
    else:
        messages.info(request, f"令牌“{token.name}”此前已吊销")
    return redirect("people:tokens")
