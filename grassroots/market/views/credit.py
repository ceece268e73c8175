"""The credit file's pages: staff read an entity's whole timeline (filtered by kind, printable on A4, exported to
Excel); anyone, without login, finds an entity by its USCC or exact name under /s/credit/ and reads the public part."""

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from grassroots.assessment.excel import XLSX
from grassroots.core.watermark import export_reason, watermark_of
from grassroots.people.actors import person_of
from grassroots.workcal.calendar import local_today

from ..models import MarketEntity
from ..permissions import access_entity, contact_of
from ..services.credit_file import (
    KINDS,
    USCC_PATTERN,
    credit_export,
    credit_print_record,
    credit_public,
    credit_timeline,
    only_kinds,
    public_lookup,
)

PUBLIC_SECTIONS = {
    "licence": "行政许可信息",
    "abnormal": "经营异常名录信息",
    "inspection": "双随机抽查检查结果信息",
    "penalty": "行政处罚信息",
}


def _kinds(request: HttpRequest) -> list[str]:
    return [k for k in request.GET.getlist("kind") if k in KINDS]


@login_required
def credit_page(request: HttpRequest, entity_id: int) -> HttpResponse:
    """The whole timeline; `?kind=` filters (several allowed), `?print=1` is the A4 print view (after a reason,
    watermarked and audited). An HTMX request for the timeline gets the timeline alone."""
    person = person_of(request)
    entity = access_entity(person, entity_id)
    kinds = _kinds(request)
    printing = request.GET.get("print") == "1"
    reason = export_reason(request, title=f"打印信用档案 · {entity.name}") if printing else ""
    if isinstance(reason, HttpResponse):
        return reason
    everything = credit_timeline(entity=entity, viewer=person, today=local_today())
    entries = only_kinds(everything, kinds)
    context: dict[str, Any] = {
        "entity": entity,
        "entries": entries,
        "total": len(everything),
        "kinds": [(k, label, k in kinds) for k, label in KINDS.items()],
        "chosen": kinds,
        "query": urlencode([("kind", k) for k in kinds]),
        "today": local_today(),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "credit-timeline":
        return render(request, "market/credit_timeline.html", context)
    purpose = "打印市场主体信用档案" if printing else "查看市场主体信用档案"
    context["contact"] = contact_of(person, entity, purpose=purpose)
    if printing:
        credit_print_record(actor=person, entity=entity, reason=reason, kinds=kinds, rows=len(entries))
        context["watermark"] = watermark_of(person, reason).text
    template = "market/credit_print.html" if printing else "market/credit.html"
    return render(request, template, context)


@login_required
def credit_download(request: HttpRequest, entity_id: int) -> HttpResponse:
    """The timeline as filtered, as an .xlsx workbook, once a reason is given (watermarked, audited)."""
    person = person_of(request)
    entity = access_entity(person, entity_id)
    reason = export_reason(request, title=f"导出信用档案 · {entity.name}")
    if isinstance(reason, HttpResponse):
        return reason
    export = credit_export(actor=person, entity=entity, reason=reason, kinds=_kinds(request))
    response = HttpResponse(export.content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename)}"
    return response


# -- public, no login --------------------------------------------------------------------------------------------


def public_search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    found = public_lookup(query)
    if len(found) == 1:
        return redirect("public_credit:entity", uscc=found[0].uscc)
    return render(request, "market/public/credit_search.html", {"q": query, "found": found})


def public_entity(request: HttpRequest, uscc: str) -> HttpResponse:
    code = uscc.strip().upper()
    entity = MarketEntity.objects.filter(uscc=code).first() if USCC_PATTERN.fullmatch(code) else None
    if entity is None:
        raise Http404("没有找到该市场主体")
    today = local_today()
    entries = credit_public(entity=entity, today=today)
    # Only these facts reach the template: the contact, the grid and the risk class stay out of reach.
    facts = {
        "name": entity.name,
        "uscc": entity.uscc,
        "kind": entity.get_kind_display(),
        "status": entity.get_status_display(),
        "registered_on": entity.registered_on,
        "address": entity.address,
    }
    sections = [
        (kind, PUBLIC_SECTIONS[kind], [e for e in entries if e.kind == kind]) for kind in PUBLIC_SECTIONS
    ]
    return render(
        request, "market/public/credit_entity.html", {"facts": facts, "sections": sections, "today": today}
    )
