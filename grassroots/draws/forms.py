"""The plan page's forms: a re-draw (reason and approver) and the results to publish."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Person


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


class RedrawForm(forms.Form):
    reason = forms.CharField(
        label=_("重新抽取理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    approver = PersonChoice(label=_("批准人"), queryset=Person.objects.none())

    def __init__(self, *args: Any, approvers: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approver"]
        assert isinstance(field, PersonChoice)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in approvers])


class PublishForm(forms.Form):
    summary = forms.CharField(label=_("检查结果"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
