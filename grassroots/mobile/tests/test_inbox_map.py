"""The inbox and the grid map in the phone's shell: the phone header and tabs, never the command room's."""

import json

import pytest
from django.urls import reverse

from grassroots.notifications.models import Notification
from grassroots.notifications.services import notify

from .support import reported

pytestmark = pytest.mark.django_db

INBOX = reverse("mobile:inbox")
MAP = reverse("mobile:map")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def notes(world, *texts, person=None, event=None):
    person = person or world.alice
    for text in texts:
        notify(
            person_ids=[person.pk], verb="test", text=text, event_id=event.pk if event else None, email=False
        )
    return list(Notification.objects.filter(recipient=person).order_by("id"))


@pytest.mark.parametrize("url", [INBOX, MAP])
def test_the_inbox_and_the_map_have_the_phone_header_and_tabs_not_the_desktop_one(world, url):
    html = world.client_for(world.alice).get(url).content.decode()
    assert 'class="m-bar"' in html and 'class="m-tabs"' in html
    assert 'class="topbar"' not in html and 'class="mainnav"' not in html
    assert "红菱村 · 网格01" in html


@pytest.mark.parametrize("url", [INBOX, MAP])
def test_people_outside_the_grid_teams_get_404(world, url):
    assert world.client_for(world.oscar).get(url).status_code == 404


def test_every_phone_page_has_the_bell_with_the_unread_count(world):
    notes(world, "一", "二")
    html = world.client_for(world.alice).get(reverse("mobile:home")).content.decode()
    assert f'id="go-inbox" href="{INBOX}"' in html and '<b class="m-bell-count">2</b>' in html


def test_the_inbox_lists_my_notifications_linking_to_the_events_phone_page(world):
    event = reported(world)
    notes(world, "请现场核实：桥头违建", event=event)
    notes(world, "别人的通知", person=world.oscar)
    html = world.client_for(world.alice).get(INBOX).content.decode()
    assert "请现场核实：桥头违建" in html and "别人的通知" not in html
    assert f'href="{reverse("mobile:report_detail", args=[event.pk])}?from=inbox"' in html


def test_marking_one_and_then_all_read(world):
    first, second, third = notes(world, "一", "二", "三")
    client = world.client_for(world.alice)
    response = client.post(reverse("mobile:inbox_read"), {"id": first.pk, "unread": "1"})
    assert response.status_code == 302 and response["Location"] == INBOX + "?unread=1"
    assert list(Notification.objects.filter(read_at__isnull=True).order_by("id")) == [second, third]
    unread = client.get(INBOX + "?unread=1").content.decode()
    assert f'id="note-{first.pk}"' not in unread and f'id="note-{second.pk}"' in unread
    client.post(reverse("mobile:inbox_read"), {"all": "1"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_read_touches_only_my_own_notifications(world):
    [theirs] = notes(world, "别人的", person=world.oscar)
    world.client_for(world.alice).post(reverse("mobile:inbox_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_map_runs_the_desktop_maps_script_and_opens_events_on_the_phone(world):
    html = world.client_for(world.alice).get(MAP).content.decode()
    assert "js/map.js" in html and 'id="map-filters"' in html
    config = json.loads(
        html.split('<script id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["eventUrl"] == reverse("mobile:report_detail", args=[1]).replace("1", "{id}") + "?from=map"
    assert config["queueUrl"] is None
    assert config["gridsUrl"] == reverse("dashboard:map_grids")
