import pytest

from grassroots.demo.photos import sample_png
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import EventType

PNG = sample_png()


def png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.png", PNG, content_type="image/png")


@pytest.mark.django_db
def test_smoke(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from grassroots.people.choices import Role

    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    t = EventType.objects.get(code="ZF0103")
    r = s.event_report(
        actor=world.alice,
        event_type=t,
        source=Source.PATROL,
        title="违建",
        lon=120.885,
        lat=30.945,
        files=[png()],
    )
    e = r.event
    assert e.grid_id == world.grid_a.pk and e.number
    s.event_register(actor=world.oscar, event=e)
    s.event_dispatch(actor=world.oscar, event=e, lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=e)
    s.event_handle(actor=world.dora, event=e)
    s.event_feed_back(actor=world.dora, event=e, feedback="已拆除", files=[png()])
    s.event_check(actor=world.oscar, event=e, passed=True)  # the reporter does not check her own case
    s.event_callback(actor=world.oscar, event=e, satisfaction=5)
    s.event_close(actor=world.oscar, event=e)
    s.event_archive(actor=world.oscar, event=e)
    e.refresh_from_db()
    assert e.status == Status.ARCHIVED
    assert list(e.transitions.values_list("seq", flat=True)) == list(range(1, e.version + 1))
    print([(t.action, t.from_status, t.to_status) for t in e.transitions.all()])
