"""A few services ask extra questions (GeoReport service definitions), one of each datatype between them."""

from django.db import migrations

SIZES = [
    {"key": "small", "name": "小于 1 平方米"},
    {"key": "medium", "name": "1–5 平方米"},
    {"key": "large", "name": "大于 5 平方米"},
]
WASTE = [
    {"key": "household", "name": "生活垃圾"},
    {"key": "construction", "name": "建筑垃圾"},
    {"key": "bulky", "name": "大件垃圾"},
    {"key": "other", "name": "其他"},
]
YES_NO = [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]

# (type code, attribute code, datatype, required, order, question, how to answer, values)
ATTRIBUTES = [
    ("FW0403", "size", "singlevaluelist", True, 1, "破损面积", "选择一项", SIZES),
    ("FW0403", "blocking", "singlevaluelist", False, 2, "是否影响车辆通行", "选择一项", YES_NO),
    ("ZF0301", "noise_time", "datetime", True, 1, "噪音发生时间", "例如 2026-01-15T22:30:00+08:00", []),
    ("ZF0301", "duration_hours", "number", False, 2, "已持续多久（小时）", "数字，可带小数", []),
    ("ZF0101", "waste_kinds", "multivaluelist", True, 1, "垃圾种类", "可多选", WASTE),
    ("FW0401", "pole_number", "string", False, 1, "路灯杆编号", "灯杆上的编号，看不清可不填", []),
    ("SC0501", "purchase", "text", False, 1, "消费经过", "购买时间、商家、金额及问题经过", []),
]


def seed(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    ServiceAttribute = apps.get_model("open311", "ServiceAttribute")
    types = {t.code: t for t in EventType.objects.filter(code__in={a[0] for a in ATTRIBUTES})}
    for type_code, code, datatype, required, order, question, how, values in ATTRIBUTES:
        if type_code not in types:
            continue
        ServiceAttribute.objects.get_or_create(
            event_type=types[type_code],
            code=code,
            defaults={
                "datatype": datatype,
                "required": required,
                "variable": True,
                "order": order,
                "description": question,
                "datatype_description": how,
                "values": values,
            },
        )


def unseed(apps, schema_editor):
    ServiceAttribute = apps.get_model("open311", "ServiceAttribute")
    for type_code, code, *_ in ATTRIBUTES:
        ServiceAttribute.objects.filter(event_type__code=type_code, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("open311", "0001_create_api_clients"), ("events", "0002_load_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]
