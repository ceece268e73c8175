# Every existing event type becomes version 1, published, in force from its creation: the rows have no
# creation time, so from the first event reported under it, or from now if it has none.

from django.db import migrations
from django.db.models import Min
from django.utils import timezone


def publish_existing(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    Event = apps.get_model("events", "Event")
    now = timezone.now().replace(microsecond=0)
    first = dict(Event.objects.values_list("event_type_id").annotate(first=Min("reported_at")).order_by())
    for event_type in EventType.objects.all():
        start = min(first.get(event_type.pk) or now, now)
        EventType.objects.filter(pk=event_type.pk).update(version=1, status="published", valid_from=start)


def unpublish(apps, schema_editor):
    apps.get_model("events", "EventType").objects.update(status="draft", valid_from=None, valid_until=None)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0007_version_event_types'),
    ]

    operations = [migrations.RunPython(publish_existing, unpublish)]
