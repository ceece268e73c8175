"""PlainSelect writes the markup Django's Select renders through its templates: same options, groups, selection
and attributes, escaped the same way."""

from django import forms
from django.test.html import parse_html

from grassroots.core.widgets import PlainSelect

CHOICES = [
    ("", "全部网格"),
    ("330421001001", "大云村 <一>网格 & 二"),
    ("分组", [("a", "甲"), ("b", 'b "quoted"')]),
    (7, "七"),
]


def render_both(value, attrs=None):
    plain = PlainSelect(attrs=attrs, choices=CHOICES).render("grid", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("grid", value)
    return parse_html(plain), parse_html(django)


def test_the_markup_equals_djangos_with_nothing_selected():
    plain, django = render_both(None, attrs={"id": "filter-grid"})
    assert plain == django


def test_the_markup_equals_djangos_with_an_option_in_a_group_selected():
    plain, django = render_both("b", attrs={"id": "filter-grid", "required": True, "data-x": "1"})
    assert plain == django
    assert '<option selected value="b">' in str(plain)


def test_labels_are_escaped():
    html = PlainSelect(choices=CHOICES).render("grid", "")
    assert "&lt;一&gt;网格 &amp; 二" in html
    assert "<一>" not in html


def test_the_queue_filter_renders_its_grids_with_it():
    from grassroots.events.forms import QueueFilterForm

    assert isinstance(QueueFilterForm.base_fields["grid"].widget, PlainSelect)
