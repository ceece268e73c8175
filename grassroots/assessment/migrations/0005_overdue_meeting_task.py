from decimal import Decimal

from django.db import migrations, models

# The agencies' schemes deduct for overdue decisions of joint meetings (会议督办事项) too: −1 each, up to 10, in
# the township's computed part. Added only where the scheme still has no such rule (an administrator's edit stays).
SCHEMES = ("zhenhai-agency", "shangyu-agency-b")


def add(apps, schema_editor):
    part_model = apps.get_model("assessment", "SchemePart")
    adjustment_model = apps.get_model("assessment", "SchemeAdjustment")
    for code in SCHEMES:
        part = part_model.objects.filter(scheme__code=code, method="computed").order_by("position").first()
        if part is None or part.adjustments.filter(basis="overdue_meeting_task").exists():
            continue
        adjustment_model.objects.create(
            part=part, basis="overdue_meeting_task", direction="deduct", points=Decimal(1), cap=Decimal(10)
        )


def remove(apps, schema_editor):
    adjustment_model = apps.get_model("assessment", "SchemeAdjustment")
    adjustment_model.objects.filter(basis="overdue_meeting_task", part__scheme__code__in=SCHEMES).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_label_fields")]

    operations = [
        migrations.AlterField(
            model_name="schemeadjustment",
            name="basis",
            field=models.CharField(
                choices=[
                    ("overdue_close", "超期未结案事件"),
                    ("overdue_handle", "超期未处置任务"),
                    ("returned", "退回的派遣任务"),
                    ("reworked", "返工的处置"),
                    ("supervised", "有效督办单"),
                    ("urged", "催办单"),
                    ("reopened", "重启的事件"),
                    ("valid_report", "有效上报"),
                    ("overdue_meeting_task", "超期未办结的会议督办事项"),
                ],
                max_length=32,
                verbose_name="依据",
            ),
        ),
        migrations.RunPython(add, remove),
    ]
