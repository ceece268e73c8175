"""The events admin: the catalogue is editable (and audited); events and their records are read-mostly."""

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType, ExtensionRequest, SupervisionOrder, Transition
from grassroots.people.choices import Role
from grassroots.people.models import Person


@pytest.fixture
def admin_client(world, client):
    root = Person.objects.create_superuser(
        username="root", password="Secret@2026", name="系统管理员", role=Role.SYSTEM_ADMIN
    )
    client.force_login(root)
    return client


@pytest.fixture
def event(world) -> Event:
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=event)
    s.event_request_extension(actor=world.dora, event=event, days="2", reason="需协调")
    s.event_supervise(actor=world.oscar, event=event, reason="leader", note="请加快")
    return event


def test_every_events_admin_page_renders(admin_client, event):
    pages = [
        reverse("admin:events_eventtype_changelist"),
        reverse("admin:events_eventtype_change", args=[event.event_type_id]),
        reverse("admin:events_eventtype_add"),
        reverse("admin:events_event_changelist"),
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_supervisionorder_changelist"),
        reverse("admin:events_supervisionorder_change", args=[SupervisionOrder.objects.get().pk]),
        reverse("admin:events_extensionrequest_changelist"),
        reverse("admin:events_extensionrequest_change", args=[ExtensionRequest.objects.get().pk]),
    ]
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
    detail = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "流转记录（只读）" in detail and "派遣任务（只读）" in detail


def test_an_event_can_only_have_its_text_corrected_and_the_correction_is_audited(admin_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    version = Event.objects.get(pk=event.pk).version

    response = admin_client.post(
        url,
        {
            "title": "违章搭建（更正）",
            "description": "",
            "address": "红菱村 3 组",
            "status": Status.CLOSED,  # not a field of the form: ignored
            "version": 99,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 1,
            "transitions-TOTAL_FORMS": 0,
            "transitions-INITIAL_FORMS": version,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    changed = Event.objects.get(pk=event.pk)
    assert (changed.title, changed.address) == ("违章搭建（更正）", "红菱村 3 组")
    assert changed.status == Status.SIGNED and changed.version == version
    assert Transition.objects.filter(event=event).count() == version
    entry = AuditEntry.objects.filter(action="event.update").get()
    assert entry.detail == {"fields": ["address", "title"]}


def test_events_cannot_be_added_or_deleted_in_the_admin(admin_client, event):
    assert admin_client.get(reverse("admin:events_event_add")).status_code == 403
    assert admin_client.get(reverse("admin:events_event_delete", args=[event.pk])).status_code == 403
    assert admin_client.get(reverse("admin:events_supervisionorder_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:events_eventtype_delete", args=[event.event_type_id])).status_code
        == 403
    )


def test_changing_a_types_time_limits_is_audited(admin_client, world):
    event_type = EventType.objects.get(code="ZF0103")
    limits = list(event_type.limits.order_by("level"))
    url = reverse("admin:events_eventtype_change", args=[event_type.pk])
    form = {
        field: getattr(event_type, field)
        for field in [
            "code",
            "name",
            "platform",
            "grid_class",
            "default_level",
            "default_unit_suffix",
            "verify_hours",
            "check_hours",
            "registration_conditions",
            "closing_conditions",
            "description",
            "keywords",
            "escalate_after_reworks",
            "duplicate_radius_m",
            "duplicate_window_hours",
        ]
    }
    form |= {
        "parent": event_type.parent_id,
        "is_active": "on",
        "is_public": "on",
        "escalate_on_timeout": "on",
    }
    form |= {"limits-TOTAL_FORMS": len(limits), "limits-INITIAL_FORMS": len(limits)}
    for i, limit in enumerate(limits):
        amount = "4.0" if limit.level == 3 else str(limit.amount)
        form |= {
            f"limits-{i}-id": limit.pk,
            f"limits-{i}-event_type": event_type.pk,
            f"limits-{i}-level": limit.level,
            f"limits-{i}-amount": amount,
            f"limits-{i}-unit": limit.unit,
        }

    response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert event_type.limits.get(level=3).amount == 4
    entry = AuditEntry.objects.get(action="eventtype.limits_update")
    assert "L3 4.0 working_days" in entry.detail["limits"]
