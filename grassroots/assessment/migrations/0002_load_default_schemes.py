from django.db import migrations


def load(apps, schema_editor):
    from grassroots.assessment.defaults import load_default_schemes

    load_default_schemes(
        apps.get_model("assessment", "Scheme"),
        apps.get_model("assessment", "SchemePart"),
        apps.get_model("assessment", "SchemeItem"),
        apps.get_model("assessment", "SchemeAdjustment"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_create_assessment")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
