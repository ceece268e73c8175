from django.db import migrations

# The two default schemes' descriptions named the districts they came from; an installation elsewhere read another
# district's name. Only rows still holding the old text change, so an administrator's own edit stays.
RENAMED = {
    "zhenhai-agency": (
        "镇海区：派驻机构由镇（街道）统筹，考核权重按镇（街道）占 60%、部门占 40% 分配。",
        "派驻机构由镇（街道）统筹，考核权重按镇（街道）占 60%、部门占 40% 分配。",
    ),
    "shangyu-agency-b": (
        "上虞区：B 类派驻机构实行以乡镇为主、部门为辅的双重管理，考核按驻地乡镇 50%、主管部门 40%、行风效能 10% 确定。",
        "B 类派驻机构实行以乡镇为主、部门为辅的双重管理，考核按驻地乡镇 50%、主管部门 40%、行风效能 10% 确定。",
    ),
}


def rename(apps, schema_editor):
    scheme = apps.get_model("assessment", "Scheme")
    for code, (old, new) in RENAMED.items():
        scheme.objects.filter(code=code, description=old).update(description=new)


def restore(apps, schema_editor):
    scheme = apps.get_model("assessment", "Scheme")
    for code, (old, new) in RENAMED.items():
        scheme.objects.filter(code=code, description=new).update(description=old)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_load_default_schemes")]

    operations = [migrations.RunPython(rename, restore)]
