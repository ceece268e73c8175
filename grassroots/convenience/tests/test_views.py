"""The window's pages through HTTP: accept with a missing material, the notice, each step's form, the rating
device, the rectification, the desk of the B post, the agent's forward page, and the public pages."""

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEntry

from ..choices import Status
from ..models import Application, Rectification
from .support import away, build_centre

pytestmark = pytest.mark.django_db


def act(client, application, action, **data):
    application.refresh_from_db()
    url = reverse("convenience:act", args=[application.pk, action])
    return client.post(url, {"version": application.version, **data})


def test_a_clerk_runs_an_application_from_the_window_to_its_rectification_on_the_pages(world):
    c = build_centre(world)
    client = world.client_for(c.wendy)
    page = client.get(reverse("convenience:apply"), {"item": c.permit.code})
    assert page.status_code == 200 and "四邻意见书" in page.content.decode()
    required = c.permit.materials.get(order=1)
    response = client.post(
        reverse("convenience:apply"),
        {
            "item": c.permit.code,
            "applicant_kind": "person",
            "applicant_name": "沈国强",
            "applicant_phone": "13900001111",
            "channel": "window",
            "window": c.window_1.pk,
            "received": [required.pk],
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == Status.CORRECTING
    notice = application.notices.get()
    printed = client.get(reverse("convenience:notice", args=[notice.pk])).content.decode()
    assert "申请人身份证" in printed and "沈国强" in printed and "一次性告知" in printed

    assert act(client, application, "supply", in_person="1").status_code == 302
    assert act(client, application, "decide", result="granted").status_code == 302
    refused = act(client, application, "deliver", method="mail")
    assert refused.status_code == 422 and "邮寄单号" in refused.content.decode()
    assert act(client, application, "deliver", method="mail", tracking_number="EMS1").status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DELIVERED and application.visits == 2

    device = reverse("convenience:rate_device", args=[application.pk])
    assert "rated" in client.post(device, {"grade": "2", "comment": "态度差"}).content.decode()
    rectification = Rectification.objects.get(application=application)
    for action, data in (
        ("contact", {"note": "已电话回访"}),
        ("rectify", {"measures": "窗口培训"}),
        ("review", {"review": "satisfied"}),
    ):
        url = reverse("convenience:act_rectification", args=[rectification.pk, action])
        assert client.post(url, {"version": Rectification.objects.get().version, **data}).status_code == 302
    assert Rectification.objects.get().status == "closed"


def test_a_stale_form_is_refused_and_the_page_says_why(world):
    c = build_centre(world)
    client = world.client_for(c.wendy)
    client.post(
        reverse("convenience:apply"),
        {
            "item": c.service.code,
            "applicant_kind": "person",
            "applicant_name": "沈国强",
            "channel": "window",
            "received": [c.service.materials.get().pk],
        },
    )
    application = Application.objects.get()
    url = reverse("convenience:act", args=[application.pk, "decide"])
    response = client.post(url, {"version": application.version - 1, "result": "granted"})
    assert response.status_code == 422 and "已被他人处理" in response.content.decode()
    assert Application.objects.get().status == Status.PROCESSING


def test_the_b_post_sees_the_absent_holders_work_on_the_desk(world):
    c = build_centre(world)
    world.client_for(c.wendy).post(
        reverse("convenience:apply"),
        {
            "item": c.service.code,
            "applicant_kind": "person",
            "applicant_name": "沈国强",
            "channel": "window",
            "received": [c.service.materials.get().pk],
        },
    )
    application = Application.objects.get()
    will = world.client_for(c.will)
    assert application.number not in will.get(reverse("convenience:desk")).content.decode()
    away(c.wendy)
    page = will.get(reverse("convenience:desk")).content.decode()
    assert application.number in page and "顶岗" in page


def test_the_agent_forwards_and_the_public_page_tracks_without_personal_data(world, client):
    c = build_centre(world)
    bob = world.client_for(world.bob)
    response = bob.post(
        reverse("convenience:forward"),
        {
            "item": c.service.code,
            "applicant_kind": "person",
            "applicant_name": "沈阿婆",
            "applicant_phone": "13900002222",
            "entrustment": "委托书 001",
            "received": [c.service.materials.get().pk],
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == Status.FORWARDED
    track = client.get(reverse("public_service:track"), {"number": application.number}).content.decode()
    assert "代办转交" in track
    assert "沈阿婆" not in track and "13900002222" not in track and c.service.name in track


def test_an_unmasked_read_of_the_applicant_is_audited_and_others_see_a_mask(world):
    c = build_centre(world)
    world.client_for(c.wendy).post(
        reverse("convenience:apply"),
        {
            "item": c.service.code,
            "applicant_kind": "person",
            "applicant_name": "沈国强",
            "channel": "window",
            "received": [c.service.materials.get().pk],
        },
    )
    application = Application.objects.get()
    page = (
        world.client_for(c.will)
        .get(reverse("convenience:application", args=[application.pk]))
        .content.decode()
    )
    assert "沈国强" in page
    assert AuditEntry.objects.filter(action="personal_data.read", actor=c.will).exists()
    world.oscar.role = "leader"
    world.oscar.save()
    masked = world.client_for(world.oscar).get(reverse("convenience:application", args=[application.pk]))
    assert masked.status_code == 200 and "沈*强" in masked.content.decode()
