"""The admin speaks Chinese: every app, model and field it can show has a Chinese name."""

import re

from django.apps import apps
from django.db import models

CJK = re.compile(r"[\u4e00-\u9fff]")


def _shown_apps() -> list:
    # Apps without models (django_htmx, ninja) never appear in the admin; ours all have a name anyway.
    return [a for a in apps.get_app_configs() if a.name.startswith("grassroots.") or list(a.get_models())]


def test_every_app_has_a_chinese_name():
    missing = [f"{a.label}: {a.verbose_name}" for a in _shown_apps() if not CJK.search(str(a.verbose_name))]
    assert missing == []


def test_every_model_has_a_chinese_name_and_plural():
    missing = [
        f"{m._meta.label}.{attr}"
        for m in apps.get_models()
        for attr in ("verbose_name", "verbose_name_plural")
        if not CJK.search(str(getattr(m._meta, attr)))
    ]
    assert missing == []


def test_every_field_of_our_models_has_a_chinese_name():
    # The automatic "ID" primary key is the one name left as it is: it reads the same in Chinese.
    missing = [
        f"{m._meta.label}.{f.name}: {f.verbose_name}"
        for m in apps.get_models()
        if m.__module__.startswith("grassroots.")
        for f in m._meta.get_fields()
        if isinstance(f, models.Field)  # reverse relations are named on the other side
        and not f.auto_created
        and not CJK.search(str(f.verbose_name))
    ]
    assert missing == []
