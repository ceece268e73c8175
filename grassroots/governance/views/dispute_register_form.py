"""The registration form of a dispute (调解登记), shared by the desk page (`dispute_new`) and the grid worker's phone
(`dispute_phone`): where (village, grid), which committee, the source (a referral names its body; an event comes
from `?event=`), the type, the risk, and two parties (a third optional). `register(form, person)` calls
`dispute_register` with it."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division, Grid
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import DisputeSource, DisputeType, PartyKind, PartySide, RiskLevel
from ..models import Dispute
from ..services.disputes import PartyIn, dispute_register

PARTY_ROWS = (1, 2, 3)
SIDES = {1: PartySide.APPLICANT, 2: PartySide.RESPONDENT, 3: PartySide.OTHER}


def _prefix(person: Any) -> str | None:
    """The region the person registers in: their scope's, widened to the village; a mediator, the committee's
    township; None: everywhere."""
    scope = scope_of(person)
    if scope.everything:
        return None
    if person.role == Role.MEDIATOR and person.unit_id is not None:
        return str(person.unit.division.code)[:9]
    return scope.widened_to(12).region_prefix


def villages_for(person: Any) -> QuerySet[Division]:
    prefix = _prefix(person)
    rows = Division.objects.filter(level=DivisionLevel.VILLAGE)
    return (rows if prefix is None else rows.filter(code_prefix_q("code", prefix))).order_by("code")


def grids_for(person: Any) -> QuerySet[Grid]:
    scope = scope_of(person)
    rows = Grid.objects.select_related("village")
    if person.role in {Role.GRID_WORKER, Role.GRID_HEAD} and person.grid_id:
        return rows.filter(pk=person.grid_id)
    prefix = _prefix(person)
    return (
        rows if prefix is None or scope.everything else rows.filter(code_prefix_q("code", prefix))
    ).order_by("code")


def committees_for(person: Any) -> QuerySet[Unit]:
    """The people's mediation committees of the person's township: units with active mediators."""
    mediators = Person.objects.filter(role=Role.MEDIATOR, is_active=True).values("unit_id")
    rows = Unit.objects.filter(pk__in=mediators).select_related("division")
    prefix = _prefix(person)
    return (rows if prefix is None else rows.filter(code_prefix_q("division__code", prefix[:9]))).order_by(
        "code"
    )


def police_for(person: Any) -> QuerySet[Unit]:
    rows = Unit.objects.filter(kind=UnitKind.DISPATCHED_AGENCY).filter(Q(name__contains="派出所"))
    prefix = _prefix(person)
    return (rows if prefix is None else rows.filter(code_prefix_q("division__code", prefix[:9]))).order_by(
        "code"
    )


class Named(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _party_fields(n: int) -> dict[str, forms.Field]:
    required = n < 3
    return {
        f"p{n}_kind": forms.ChoiceField(
            label=_("类型"), choices=PartyKind.choices, initial=PartyKind.PERSON, required=required
        ),
        f"p{n}_name": forms.CharField(
            label=_("姓名（名称）"),
            max_length=100,
            required=required,
            error_messages={"required": _("请填写当事人姓名（名称）")},
        ),
        f"p{n}_id_number": forms.CharField(
            label=_("身份证号 / 统一社会信用代码"), max_length=18, required=False
        ),
        f"p{n}_phone": forms.CharField(label=_("联系电话"), max_length=20, required=False),
        f"p{n}_address": forms.CharField(label=_("住址"), max_length=300, required=False),
    }


class DisputeForm(forms.Form):
    village = Named(label=_("纠纷发生的村社区"), queryset=Division.objects.none(), empty_label=_("请选择"))
    grid = Named(label=_("网格"), queryset=Grid.objects.none(), required=False, empty_label=_("（不指定）"))
    committee = Named(label=_("人民调解委员会"), queryset=Unit.objects.none(), empty_label=None)
    source = forms.ChoiceField(label=_("纠纷来源"), choices=())
    referred_by = forms.CharField(label=_("移送（委派）单位"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    title = forms.CharField(
        label=_("纠纷简述"), max_length=200, error_messages={"required": _("请填写纠纷简述")}
    )
    facts = forms.CharField(
        label=_("主要事实及争议事项"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写纠纷主要事实及争议事项")},
    )
    risk_level = forms.ChoiceField(label=_("激化风险"), choices=RiskLevel.choices, initial=RiskLevel.LOW)
    police_unit = Named(
        label=_("报告的派出所（高风险时）"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（不报告）"),
    )
    locals().update({k: v for n in PARTY_ROWS for k, v in _party_fields(n).items()})

    def __init__(self, *args: Any, person: Any, event: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person, self.event = person, event
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = villages_for(person)
        cast(forms.ModelChoiceField, self.fields["grid"]).queryset = grids_for(person)
        cast(forms.ModelChoiceField, self.fields["committee"]).queryset = committees_for(person)
        cast(forms.ModelChoiceField, self.fields["police_unit"]).queryset = police_for(person)
        sources = [
            (k, v) for k, v in DisputeSource.choices if (k == DisputeSource.EVENT) == (event is not None)
        ]
        cast(forms.ChoiceField, self.fields["source"]).choices = sources
        if not self.is_bound:
            if event is not None:
                self.initial.update(
                    {
                        "title": event.title,
                        "facts": event.description,
                        "village": event.village_id,
                    }
                )
                self.initial.update({"grid": event.grid_id})
            if person.role == Role.MEDIATOR and person.unit_id:
                self.initial["committee"] = person.unit_id
            if getattr(person, "grid_id", None):
                self.initial.update({"grid": person.grid_id, "village": person.grid.village_id})

    def parties(self) -> list[PartyIn]:
        data, rows = self.cleaned_data, []
        for n in PARTY_ROWS:
            if not data.get(f"p{n}_name", "").strip():
                continue
            rows.append(
                PartyIn(
                    side=SIDES[n],
                    kind=data.get(f"p{n}_kind") or PartyKind.PERSON,
                    name=data[f"p{n}_name"],
                    id_number=data.get(f"p{n}_id_number", ""),
                    phone=data.get(f"p{n}_phone", ""),
                    address=data.get(f"p{n}_address", ""),
                )
            )
        return rows

    def party_rows(self) -> list[list[Any]]:
        names = ("kind", "name", "id_number", "phone", "address")
        return [[self[f"p{n}_{k}"] for k in names] for n in PARTY_ROWS]


def register(form: DisputeForm, person: Any, *, note: str = "") -> Dispute:
    """`dispute_register` with the form's values (a DomainError goes to the caller)."""
    data = form.cleaned_data
    return dispute_register(
        actor=person,
        village=data["village"],
        grid=data["grid"],
        committee=data["committee"],
        source=data["source"],
        referred_by=data.get("referred_by", ""),
        event=form.event,
        kind=data["kind"],
        title=data["title"],
        facts=data["facts"],
        parties=form.parties(),
        risk_level=data["risk_level"],
        police_unit=data.get("police_unit"),
        note=note,
    )


def field_of(form: forms.Form, details: Any) -> str | None:
    return next((k for k in (details or {}) if k in form.fields), None)
