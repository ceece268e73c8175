"""抽查事项清单 maintenance (/draws/items/): the items of the units a person manages; new, edit, publish, unpublish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError

from ..forms import ItemForm, VersionForm, add_domain_error
from ..permissions import access_item, items_managed_by, managed_units
from ..services import item_create, item_set_published, item_update
from .common import manager

PAGE_SIZE = 100


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    person = manager(request)
    items = items_managed_by(person).select_related("unit").order_by("code", "pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "draws/item_list.html", {"page": page})


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    person = manager(request)
    form = ItemForm(request.POST or None, units=managed_units(person))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                # A new item waits unpublished until someone publishes it from the list.
                item = item_create(actor=person, published=False, **form.service_kwargs())
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已新增抽查事项 {item.code}（未公开）")
                return redirect("draws:items")
    return render(request, "draws/item_form.html", {"form": form, "item": None}, status=status)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    person = manager(request)
    item = access_item(person, item_id)
    form = ItemForm(request.POST or None, units=managed_units(person), item=item)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                item_update(
                    actor=person,
                    item=item,
                    version=form.cleaned_data["version"] or 0,
                    **form.service_kwargs(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已保存抽查事项 {item.code}")
                return redirect("draws:items")
    return render(request, "draws/item_form.html", {"form": form, "item": item}, status=status)


@login_required
@require_POST
def item_publish(request: HttpRequest, item_id: int, published: bool) -> HttpResponse:
    person = manager(request)
    item = access_item(person, item_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "页面已过期，请刷新后重试")
        return redirect("draws:items")
    try:
        item_set_published(actor=person, item=item, version=form.cleaned_data["version"], published=published)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已公开 {item.code}" if published else f"已取消公开 {item.code}")
    return redirect("draws:items")
