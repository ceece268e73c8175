from django.db import migrations


def load(apps, schema_editor):
    from grassroots.events.catalogue import load_catalogue

    load_catalogue(apps.get_model("events", "EventType"), apps.get_model("events", "TimeLimit"))


class Migration(migrations.Migration):
    dependencies = [("events", "0001_create_event_loop")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
