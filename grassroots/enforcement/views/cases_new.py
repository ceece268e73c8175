"""登记线索: a lead registered by hand, or from an event of the 综合执法 platform or an inspection that found
problems (`?event=<id>`, `?inspection=<id>`, or `?from=event:<id>`), prefilled from it (`case_prefill`) and opened
with it (`case_open_from`), which links the two both ways."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import DomainError
from grassroots.events.permissions import visible_to as events_visible_to
from grassroots.market.permissions import inspections_visible_to
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person

from ..choices import CaseSource, PartyKind, PowerCategory
from ..permissions import may_open_case, may_open_cases
from ..services.cases import case_open, case_open_from, case_prefill
from ..services.powers_access import visible_to as powers_visible_to

# What a form field is called in `case_open` (the same names, but for the records chosen on the page).
TEXT_FIELDS = (
    "party_kind",
    "party_name",
    "party_id_number",
    "party_representative",
    "party_phone",
    "party_address",
    "facts",
    "place",
)


class OfficerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.inspector.certificate_no}）"


class LeadForm(forms.Form):
    """The lead: where it came from, the power it falls under, the party, the officers, what happened where."""

    source = forms.ChoiceField(label=_("案件来源"), choices=())
    unit = forms.ModelChoiceField(label=_("办案单位"), queryset=Unit.objects.none(), empty_label=None)
    power = forms.CharField(
        label=_("执法职权（输入编码或名称查找）"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "power-options", "autocomplete": "off"}),
        error_messages={"required": _("请选择执法职权")},
    )
    party_kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices, widget=forms.RadioSelect)
    party_name = forms.CharField(label=_("当事人（姓名或名称）"), max_length=200)
    party_id_number = forms.CharField(label=_("身份证号 / 统一社会信用代码"), max_length=18)
    party_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=50, required=False)
    party_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    party_address = forms.CharField(label=_("住所（地址）"), max_length=300, required=False)
    officers = OfficerChoices(
        label=_("承办执法人员（不少于两人，持有效执法证）"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择承办执法人员")},
    )
    facts = forms.CharField(label=_("案情（违法事实）"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("案发地点"), max_length=300, required=False)
    lon = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)
    occurred_on = forms.DateField(
        label=_("违法行为发生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    major = forms.BooleanField(label=_("重大案件（须法制审核、集体讨论）"), required=False)

    def __init__(self, *args: Any, person: Any, units: list[Unit], record_source: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.person = person
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            pk__in=[u.pk for u in units]
        ).order_by("name")
        today = timezone.localdate()
        cast(forms.ModelMultipleChoiceField, self.fields["officers"]).queryset = (
            Person.objects.filter(
                is_active=True,
                inspector__active=True,
                inspector__certificate_valid_to__gte=today,
                inspector__unit__in=units,
            )
            .select_related("inspector")
            .order_by("inspector__certificate_no")
        )
        sources = CaseSource.choices
        if record_source:
            sources = [(k, label) for k, label in sources if k == record_source]
        else:
            sources = [
                (k, label) for k, label in sources if k not in {CaseSource.EVENT, CaseSource.INSPECTION}
            ]
        cast(forms.ChoiceField, self.fields["source"]).choices = sources

    def clean_power(self) -> Any:
        text = self.cleaned_data["power"].strip()
        code = text.split()[0] if text else ""
        found = usable_powers(self.person).filter(code=code).first()
        if found is None:
            raise forms.ValidationError(_("请从清单中选择已公布的行政处罚职权（按编码）"))
        return found


def usable_powers(person: Any) -> Any:
    """The published penalty powers of the person's area, the ones a case may rest on."""
    return powers_visible_to(person).filter(category=PowerCategory.PENALTY, published=True)


def opening_units(person: Any) -> list[Unit]:
    """The units the person registers leads for: their own (officers, staff) or those they head."""
    if person.unit_id is not None and may_open_case(person, person.unit):
        return [person.unit]
    powers_units = usable_powers(person).values("unit_id")
    candidates = Unit.objects.filter(Q(pk__in=powers_units) | Q(pk=person.unit_id)).select_related("division")
    return [u for u in candidates if may_open_case(person, u)]


def source_record(person: Any, request: HttpRequest) -> tuple[str, Any]:
    """The event or the inspection the lead comes from (404 when the person may not see it), or ("", None)."""
    source, pk = "", ""
    if "from" in request.GET:
        source, _sep, pk = request.GET["from"].partition(":")
    else:
        for key in (CaseSource.EVENT, CaseSource.INSPECTION):
            if key in request.GET:
                source, pk = key, request.GET[key]
    if not source:
        return "", None
    visible = {CaseSource.EVENT: events_visible_to, CaseSource.INSPECTION: inspections_visible_to}.get(
        CaseSource(source) if source in CaseSource.values else None  # type: ignore[arg-type]
    )
    record = visible(person).filter(pk=int(pk)).first() if visible and pk.isdigit() else None
    if record is None:
        raise Http404("来源记录不存在或不在您的管辖范围内")
    return source, record


def _initial(prefill: dict[str, Any], person: Any, units: list[Unit]) -> dict[str, Any]:
    initial = {k: v for k, v in prefill.items() if k in {*TEXT_FIELDS, "lon", "lat", "source"}}
    initial.setdefault("party_kind", PartyKind.PERSON)
    if units:
        initial["unit"] = units[0].pk
    if getattr(person, "inspector", None) is not None:
        initial["officers"] = [person.pk]
    return initial


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_open_cases(person):
        raise PermissionDenied("您的岗位不登记执法案件线索")
    source, record = source_record(person, request)
    prefill: dict[str, Any] = {}
    problem = ""
    if record is not None:
        try:
            prefill = case_prefill(record)
        except DomainError as exc:
            problem = exc.message
    units = opening_units(person)
    form = LeadForm(
        request.POST or None,
        initial=_initial(prefill, person, units),
        person=person,
        units=units,
        record_source=source,
    )
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        given = {k: data[k] for k in TEXT_FIELDS} | {
            k: data[k] for k in ("lon", "lat", "occurred_on", "major", "source")
        }
        common = {"actor": person, "unit": data["unit"], "power": data["power"], "officers": data["officers"]}
        try:
            if record is not None:
                given.pop("source")
                case = case_open_from(record=record, **common, **given)
            else:
                case = case_open(**common, **given)
        except DomainError as exc:
            field = next((k for k in (exc.details or {}) if k in form.fields), None)
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("已登记线索，请申请立案"))
            return redirect("enforcement:case", case.pk)
    context = {
        "form": form,
        "record": record,
        "source": source,
        "problem": problem,
        "powers": usable_powers(person).select_related("unit").order_by("code")[:2000],
    }
    status = 422 if problem or (request.method == "POST") else 200
    return render(request, "enforcement/case_new.html", context, status=status)
