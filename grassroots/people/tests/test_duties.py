"""The three separated administrators: each duty allowed, and every refusal proved on pages and API.

Sam is the system administrator, Sue the security administrator, Abe the audit administrator.
"""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.conftest import make_person
from grassroots.events.models import Event
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.people.services import api_token_create

REPORT = {"event_type": "0101", "title": "测试", "description": "路灯不亮", "lon": 120.885, "lat": 30.945}


@pytest.fixture
def admins(world):
    division = world.district
    return {
        role: make_person(name, name.title(), role, division=division, is_staff=True)
        for name, role in [
            ("sam", Role.SYSTEM_ADMIN),
            ("sue", Role.SECURITY_ADMIN),
            ("abe", Role.AUDIT_ADMIN),
        ]
    }


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_administrator_reports_an_event_through_the_api_with_a_session(world, admins, role):
    answer = _client(admins[role]).post("/api/v1/events", REPORT, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "separated_admin"
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_administrator_reports_an_event_with_a_token(world, admins, role):
    _, key = api_token_create(actor=world.oscar, person=admins[role], name="t")
    answer = Client().post(
        "/api/v1/events",
        json.dumps(REPORT),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "separated_admin"
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_administrator_takes_a_workflow_step_on_a_page(world, admins, role):
    answer = _client(admins[role]).post("/command/events/1/act/accept/", {"note": "x"})
    assert answer.status_code == 403


def test_an_operator_is_not_held_by_the_administrators_rule(world):
    answer = world.client_for(world.oscar).post("/api/v1/events", REPORT, content_type="application/json")
    assert answer.json().get("code") != "separated_admin"


# -- system administrator ---------------------------------------------------------------------------------------


def test_the_system_administrator_keeps_configuration_in_the_admin_site(admins):
    client = _client(admins[Role.SYSTEM_ADMIN])
    assert client.get("/admin/geo/grid/").status_code == 200
    assert client.get("/admin/events/eventtype/").status_code == 200


def test_the_system_administrator_sees_a_person_masked_and_assigns_no_role(world, admins):
    page = _client(admins[Role.SYSTEM_ADMIN]).get(f"/admin/people/person/{world.bob.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "13812345678" not in html and "138****5678" in html
    assert "11010519491231002X" not in html
    assert 'name="role"' not in html and 'name="is_superuser"' not in html


@pytest.mark.parametrize(
    "url", ["/audit/", "/admin/audit/auditentry/", "/admin/events/event/", "/admin/open311/open311request/"]
)
def test_the_system_administrator_reads_neither_the_audit_log_nor_residents_records(admins, url):
    assert _client(admins[Role.SYSTEM_ADMIN]).get(url).status_code == 403


# -- security administrator -------------------------------------------------------------------------------------


def test_the_security_administrator_assigns_a_role_and_clears_a_lockout(world, admins):
    Person.objects.filter(pk=world.bob.pk).update(locked_until="2099-01-01T00:00:00Z", failed_logins=3)
    answer = _client(admins[Role.SECURITY_ADMIN]).post(
        f"/admin/people/person/{world.bob.pk}/change/",
        {
            "role": Role.DISPATCHER,
            "is_active": "on",
            "failed_logins": "0",
            "locked_until_0": "",
            "locked_until_1": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    world.bob.refresh_from_db()
    assert world.bob.role == Role.DISPATCHER and world.bob.locked_until is None
    assert AuditEntry.objects.filter(action="person.update", object_id=str(world.bob.pk)).exists()


@pytest.mark.parametrize("url", ["/audit/", "/admin/audit/auditentry/", "/admin/geo/grid/"])
def test_the_security_administrator_reads_no_audit_log_and_keeps_no_configuration(admins, url):
    assert _client(admins[Role.SECURITY_ADMIN]).get(url).status_code == 403


# -- audit administrator ----------------------------------------------------------------------------------------


def test_the_audit_administrator_searches_the_log(world, admins):
    audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    audit_record(actor=world.alice, action="event.report", obj=world.carol)
    page = _client(admins[Role.AUDIT_ADMIN]).get("/audit/", {"actor": "陈志强", "action": "event.close"})
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="audit-row"') == 1


def test_the_audit_administrators_export_is_a_watermarked_workbook_and_is_itself_audited(world, admins):
    abe = admins[Role.AUDIT_ADMIN]
    audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    answer = _client(abe).get("/audit/export.xlsx", {"action": "event.close", "reason": "季度审计抽查"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["审计日志"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][5] == "event.close"
    assert f"导出人：{abe.name}（{abe.username}）" in sheet.oddHeader.center.text
    assert (
        "事由：季度审计抽查" in sheet.oddHeader.center.text and "季度审计抽查" in book.properties.description
    )
    export = AuditEntry.objects.get(action="audit.export")
    assert export.actor == abe
    assert export.detail == {"reason": "季度审计抽查", "filters": {"action": "event.close"}, "rows": 1}


def test_the_audit_log_export_asks_for_a_reason_first(world, admins):
    audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    client = _client(admins[Role.AUDIT_ADMIN])
    asked = client.get("/audit/export.xlsx", {"action": "event.close"})
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    assert 'name="action" value="event.close"' in asked.content.decode()
    assert client.get("/audit/export.xlsx", {"action": "event.close", "reason": ""}).status_code == 400
    assert not AuditEntry.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("url", ["/admin/people/person/", "/admin/geo/grid/add/"])
def test_the_audit_administrator_changes_nothing_in_the_admin_site(world, admins, url):
    assert _client(admins[Role.AUDIT_ADMIN]).get(url).status_code == 403


def test_the_audit_administrator_cannot_change_a_person(world, admins):
    answer = _client(admins[Role.AUDIT_ADMIN]).post(
        f"/admin/people/person/{world.bob.pk}/change/", {"role": Role.SHIFT_LEAD}
    )
    assert answer.status_code == 403
    world.bob.refresh_from_db()
    assert world.bob.role == Role.VILLAGE_STAFF


@pytest.mark.parametrize("who", ["oscar", "alice"])
def test_nobody_else_reads_the_audit_log(world, who):
    client = world.client_for(getattr(world, who))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.xlsx").status_code == 403


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_every_administrator_signs_out_of_the_admin_site(admins, role):
    client = _client(admins[role])
    assert client.post("/admin/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
