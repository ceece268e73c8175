"""Every action code the code base writes into the audit log has a Chinese name, and the admin shows it."""

import ast
import collections
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

from grassroots.audit.labels import ADMIN_VERBS, action_label, object_type_label
from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.core.admin import AuditedModelAdmin
from grassroots.people.models import Person

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Functions that write an audit row with the `action` they are given.
WRITERS = {"audit_record", "audit_entry_build", "abuse_record", "_audit_import"}
# Where a code is built rather than written out; each is covered below by its own collection.
BUILT = {
    ("events/services/core.py", "commit_step"),  # event.<step>
    ("workflow/commit.py", "commit_move"),
    (
        "workflow/publishing.py",
        "_audit",
    ),  # <catalogue model>.publish|draft|retire  # <workflow>.<step>, for the steps its callers name
    ("core/admin.py", "save_model"),  # <model>.create|update
    ("core/admin.py", "delete_model"),  # <model>.delete
    ("core/admin.py", "delete_queryset"),
    ("geo/services.py", "_audit_import"),  # passes on its callers' codes
    ("open311/services.py", "abuse_record"),
}


def _sources() -> list[Path]:
    return [
        p for p in ROOT.rglob("*.py") if not {"tests", "migrations", "e2e"} & set(p.relative_to(ROOT).parts)
    ]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _action_keywords() -> list[tuple[str, str, str, ast.expr]]:
    """(file, enclosing function, called function, value) for every `action=` passed to a call."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for call in ast.walk(func):
                if isinstance(call, ast.Call):
                    for kw in call.keywords:
                        if kw.arg == "action":
                            found.append((str(path.relative_to(ROOT)), func.name, _name(call), kw.value))
    return found


def _written_codes() -> set[str]:
    codes: set[str] = set()
    for file, func, called, value in _action_keywords():
        literal = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
        if called in WRITERS:
            if literal is not None:
                codes.add(literal)
            else:
                assert (file, func) in BUILT, f"{file}:{func} writes an audit code this test cannot see"
        elif literal is not None and file.startswith("events/services/"):
            codes.add(f"event.{literal}")  # a step handed to commit_step, directly or through a helper
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedModelAdmin):
            codes |= {f"{model._meta.model_name}.{verb}" for verb in ADMIN_VERBS}
    return codes


def test_the_scan_finds_codes_of_every_kind():
    codes = _written_codes()
    assert {
        "login.failed",
        "event.sign",
        "event.escalate",
        "event.report",
        "unit.update",
        "grid.import",
    } <= codes


def test_every_written_code_has_a_chinese_label():
    missing = sorted(code for code in _written_codes() if not CJK.search(action_label(code)))
    assert missing == []


def test_labels_read_as_chinese():
    assert action_label("login.failed") == "登录失败"
    assert action_label("event.sign") == "事件签收"
    assert action_label("unit.delete") == "删除单位"
    assert action_label("something.new") == "something.new"  # an unknown code still shows, as it is


def test_object_types_read_as_chinese():
    assert object_type_label("org.unit") == "单位"
    assert object_type_label("assessment.export") == "导出"
    assert object_type_label("nothing") == "nothing"


def test_model_names_are_unique_so_admin_codes_name_one_model():
    counts = collections.Counter(m._meta.model_name for m in apps.get_models())
    assert [name for name, n in counts.items() if n > 1] == []


def _rows(page: str) -> str:
    return page.split('id="result_list"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def root(db):
    return Person.objects.create_superuser(username="root", password="Root@2026pass", name="管理员")


def test_the_admin_list_filter_and_detail_show_the_labels(root, client):
    failed = audit_record(actor=None, action="login.failed", obj=root, result=AuditResult.DENIED)
    audit_record(
        actor=root, action="unit.update", object_type="org.unit", object_id="1", object_repr="指挥室"
    )
    client.force_login(root)

    page = client.get("/admin/audit/auditentry/").content.decode()
    assert "登录失败" in _rows(page) and "修改单位" in _rows(page)
    assert "org.unit" not in _rows(page) and "人员" in _rows(page)  # object types by their names too
    assert '<a href="?action=login.failed">登录失败</a>' in page  # the filter lists the codes by their names
    filtered = client.get("/admin/audit/auditentry/?action=login.failed").content.decode()
    assert "登录失败" in _rows(filtered) and "修改单位" not in _rows(filtered)

    detail = client.get(f"/admin/audit/auditentry/{failed.pk}/change/").content.decode()
    assert "登录失败" in detail and "login.failed" in detail  # the name, and the stored code beside it
