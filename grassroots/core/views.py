from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from .navigation import nav_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person lands on the first page of their work; the home page lists them all otherwise."""
    items = nav_items(request.user)
    if items and "all" not in request.GET:
        return redirect(items[0]["url"])
    return render(request, "core/home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
