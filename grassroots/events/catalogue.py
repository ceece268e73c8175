"""The event-type catalogue every installation starts with; admins edit it afterwards.

Enforcement classes follow GB/T 30428.2 (数字化城市管理 事件类), governance classes the 综治 practice, market
classes the market-supervision remit, service classes the 便民服务 requests. Every major class carries one of the
seeds' nine grid classes. Limits per level are in working days unless marked (Shangyu: 1 to 7 days).
"""

from typing import Any

from django.utils import timezone

# Limits by level 1–4: working days, or ("h", …) working hours, or ("n", …) natural days for emergencies.
NORMAL = (1, 3, 5, 7)
QUICK = (("h", 4), 1, 2, 3)
EMERGENCY = (("n", 0.5), ("n", 1), ("n", 1), ("n", 2))
SERVICE = (1, 2, 3, 5)

# (code, name, platform, grid class, [(code, name, default unit suffix, default level, limits, self_fixable, keywords)])
CATALOGUE: list[tuple[str, str, str, str, list[tuple[str, str, str, int, Any, bool, str]]]] = [
    (
        "ZF01",
        "市容环境",
        "enforcement",
        "city",
        [
            ("ZF0101", "暴露垃圾", "ZFZD", 1, QUICK, True, "垃圾 堆放 脏乱"),
            ("ZF0102", "道路不洁", "ZFZD", 1, QUICK, True, "路面 污渍 保洁"),
            ("ZF0103", "私搭乱建", "ZFZD", 3, NORMAL, False, "违建 搭建 棚"),
            ("ZF0104", "乱堆物料", "ZFZD", 2, NORMAL, True, "堆物 占道 杂物"),
            ("ZF0105", "绿地脏乱", "ZFZD", 2, NORMAL, True, "绿化 草坪"),
        ],
    ),
    (
        "ZF02",
        "宣传广告",
        "enforcement",
        "city",
        [
            ("ZF0201", "非法小广告", "ZFZD", 1, QUICK, True, "牛皮癣 小广告 涂写"),
            ("ZF0202", "违规户外广告", "ZFZD", 3, NORMAL, False, "招牌 广告牌 横幅"),
        ],
    ),
    (
        "ZF03",
        "施工管理",
        "enforcement",
        "city",
        [
            ("ZF0301", "施工扰民", "ZFZD", 3, QUICK, False, "噪音 夜间施工"),
            ("ZF0302", "工地扬尘", "ZFZD", 3, NORMAL, False, "扬尘 未覆盖"),
            ("ZF0303", "道路遗撒", "ZFZD", 3, QUICK, False, "渣土 遗撒 泥浆"),
        ],
    ),
    (
        "ZF04",
        "街面秩序",
        "enforcement",
        "city",
        [
            ("ZF0401", "占道经营", "ZFZD", 2, QUICK, False, "摊贩 流动摊 占道"),
            ("ZF0402", "店外经营", "ZFZD", 2, QUICK, True, "出店 店外"),
            ("ZF0403", "机动车乱停放", "JJZD", 3, QUICK, False, "停车 违停 堵塞"),
            ("ZF0404", "非机动车乱停放", "ZFZD", 1, QUICK, True, "电动车 自行车"),
        ],
    ),
    (
        "ZF05",
        "环境保护",
        "enforcement",
        "environment",
        [
            ("ZF0501", "污水直排", "STHJ", 3, NORMAL, False, "污水 排放 河道"),
            ("ZF0502", "露天焚烧", "STHJ", 2, QUICK, True, "焚烧 秸秆 烟"),
            ("ZF0503", "河道漂浮物", "NJSL", 2, NORMAL, True, "河道 漂浮 水草"),
            ("ZF0504", "企业废气异味", "STHJ", 3, NORMAL, False, "异味 废气 臭"),
        ],
    ),
    (
        "ZF06",
        "国土规划",
        "enforcement",
        "city",
        [
            ("ZF0601", "违法占用土地", "ZRZY", 3, NORMAL, False, "占地 耕地"),
            ("ZF0602", "违规建房", "ZRZY", 3, NORMAL, False, "农房 建房"),
        ],
    ),
    (
        "ZZ01",
        "矛盾纠纷",
        "governance",
        "justice",
        [
            ("ZZ0101", "邻里纠纷", "SFS", 2, NORMAL, True, "邻居 纠纷 吵架"),
            ("ZZ0102", "劳资纠纷", "SFS", 3, NORMAL, False, "欠薪 工资 劳动"),
            ("ZZ0103", "土地山林纠纷", "SFS", 2, NORMAL, False, "土地 承包 边界"),
            ("ZZ0104", "婚姻家庭纠纷", "SFS", 2, NORMAL, False, "家庭 婚姻 赡养"),
            ("ZZ0105", "物业纠纷", "SFS", 2, NORMAL, False, "物业 小区"),
        ],
    ),
    (
        "ZZ02",
        "治安隐患",
        "governance",
        "security",
        [
            ("ZZ0201", "治安隐患", "PCS", 3, QUICK, False, "治安 盗窃 隐患"),
            ("ZZ0202", "可疑人员车辆", "PCS", 3, QUICK, False, "可疑 陌生"),
            ("ZZ0203", "黄赌毒线索", "PCS", 3, QUICK, False, "赌博 涉黄 毒品"),
            ("ZZ0204", "出租房屋管理", "PCS", 2, NORMAL, False, "出租房 流动人口"),
        ],
    ),
    (
        "ZZ03",
        "特殊人群",
        "governance",
        "security",
        [
            ("ZZ0301", "社区矫正人员异常", "SFS", 3, QUICK, False, "矫正"),
            ("ZZ0302", "严重精神障碍患者异常", "SHSW", 3, QUICK, False, "精神 肇事"),
            ("ZZ0303", "重点人员动态", "PCS", 3, QUICK, False, "重点人员"),
        ],
    ),
    (
        "ZZ04",
        "安全生产",
        "governance",
        "safety",
        [
            ("ZZ0401", "消防安全隐患", "AJZ", 3, QUICK, False, "消防 通道 灭火器"),
            ("ZZ0402", "企业安全生产隐患", "AJZ", 3, NORMAL, False, "安全生产 企业"),
            ("ZZ0403", "燃气安全隐患", "AJZ", 3, QUICK, False, "燃气 煤气 液化气"),
            ("ZZ0404", "三合一场所", "AJZ", 3, NORMAL, False, "住人 仓库"),
        ],
    ),
    (
        "ZZ05",
        "信访稳定",
        "governance",
        "security",
        [
            ("ZZ0501", "群体性事件苗头", "ZZB", 3, EMERGENCY, False, "聚集 上访"),
            ("ZZ0502", "信访诉求", "XFB", 3, NORMAL, False, "信访 诉求"),
        ],
    ),
    (
        "ZZ06",
        "应急指挥",
        "governance",
        "emergency",
        [
            ("ZZ0601", "自然灾害险情", "AJZ", 3, EMERGENCY, False, "台风 积水 内涝 险情"),
            ("ZZ0602", "突发事故", "AJZ", 3, EMERGENCY, False, "事故 火灾"),
            ("ZZ0603", "公共卫生事件", "SHSW", 3, EMERGENCY, False, "疫情 卫生"),
        ],
    ),
    (
        "ZZ07",
        "网格党建",
        "governance",
        "party",
        [
            ("ZZ0701", "党员群众服务诉求", "DZB", 2, NORMAL, False, "党员 服务"),
            ("ZZ0702", "基层组织建设", "DZB", 2, NORMAL, False, "组织 村务"),
        ],
    ),
    (
        "SC01",
        "食品安全",
        "market",
        "safety",
        [
            ("SC0101", "无证餐饮", "SCJG", 3, NORMAL, False, "餐馆 无证 小吃"),
            ("SC0102", "过期变质食品", "SCJG", 3, QUICK, False, "过期 变质"),
            ("SC0103", "餐饮卫生", "SCJG", 3, NORMAL, False, "卫生 后厨"),
        ],
    ),
    (
        "SC02",
        "价格监管",
        "market",
        "opinion",
        [
            ("SC0201", "价格欺诈", "SCJG", 3, NORMAL, False, "价格 明码标价"),
        ],
    ),
    (
        "SC03",
        "无照经营",
        "market",
        "city",
        [
            ("SC0301", "无照经营", "SCJG", 3, NORMAL, False, "无照 执照"),
            ("SC0302", "超范围经营", "SCJG", 3, NORMAL, False, "经营范围"),
        ],
    ),
    (
        "SC04",
        "产品质量",
        "market",
        "safety",
        [
            ("SC0401", "假冒伪劣", "SCJG", 3, NORMAL, False, "假货 伪劣"),
            ("SC0402", "特种设备隐患", "SCJG", 3, QUICK, False, "电梯 锅炉 特种设备"),
        ],
    ),
    (
        "SC05",
        "消费维权",
        "market",
        "opinion",
        [
            ("SC0501", "消费投诉", "SCJG", 3, SERVICE, False, "投诉 退款 消费"),
        ],
    ),
    (
        "FW01",
        "咨询",
        "service",
        "public_service",
        [
            ("FW0101", "政策咨询", "BMFW", 3, SERVICE, False, "政策 咨询"),
            ("FW0102", "办事指南", "BMFW", 3, SERVICE, False, "办事 材料"),
        ],
    ),
    (
        "FW02",
        "求助",
        "service",
        "public_service",
        [
            ("FW0201", "困难救助", "SHSW", 2, SERVICE, False, "困难 低保 救助"),
            ("FW0202", "养老助残", "SHSW", 2, SERVICE, False, "老人 残疾"),
            ("FW0203", "就业求助", "JYBZ", 3, SERVICE, False, "就业 招工"),
        ],
    ),
    (
        "FW03",
        "证照办理",
        "service",
        "public_service",
        [
            ("FW0301", "证照代办", "BMFW", 2, SERVICE, False, "代办 证件"),
            ("FW0302", "社保医保业务", "JYBZ", 3, SERVICE, False, "社保 医保"),
        ],
    ),
    (
        "FW04",
        "公共设施",
        "service",
        "public_service",
        [
            ("FW0401", "路灯损坏", "CJB", 2, NORMAL, False, "路灯 照明"),
            ("FW0402", "井盖缺损", "CJB", 2, QUICK, False, "井盖 窨井"),
            ("FW0403", "道路破损", "CJB", 3, NORMAL, False, "路面 坑洼"),
            ("FW0404", "供水供电故障", "CJB", 3, QUICK, False, "停水 停电"),
            ("FW0405", "公厕设施", "CJB", 2, NORMAL, True, "厕所"),
        ],
    ),
    (
        "FW05",
        "社情民意",
        "service",
        "opinion",
        [
            ("FW0501", "意见建议", "DZB", 3, SERVICE, False, "建议 意见"),
            ("FW0502", "民生诉求", "SHSW", 2, SERVICE, False, "诉求 民生"),
        ],
    ),
]


def _limit(spec: Any) -> tuple[float, str]:
    if isinstance(spec, tuple):
        kind, amount = spec
        return amount, {"h": "working_hours", "n": "natural_days"}[kind]
    return spec, "working_days"


def load_catalogue(event_type_model: Any, time_limit_model: Any) -> int:
    """Create the catalogue's types that are missing (by code); existing ones are left as admins edited them.

    A created type is version 1, published from now (migration 0002 runs before types had versions: 0008
    publishes what it made).
    """
    existing = set(event_type_model.objects.values_list("code", flat=True))
    published: dict[str, Any] = {}
    if any(f.name == "status" for f in event_type_model._meta.fields):
        published = {"status": "published", "valid_from": timezone.now().replace(microsecond=0)}
    created = 0
    for code, name, platform, grid_class, children in CATALOGUE:
        parent = event_type_model.objects.filter(code=code).order_by("-pk").first()
        if parent is None:
            parent = event_type_model.objects.create(
                code=code, name=name, platform=platform, grid_class=grid_class, default_level=3, **published
            )
            created += 1
        for sub_code, sub_name, unit, level, limits, fixable, keywords in children:
            if sub_code in existing:
                continue
            sub = event_type_model.objects.create(
                code=sub_code,
                name=sub_name,
                parent=parent,
                platform=platform,
                grid_class=grid_class,
                default_unit_suffix=unit,
                default_level=level,
                self_fixable=fixable,
                keywords=keywords,
                escalate_on_timeout=limits is not EMERGENCY,
                **published,
            )
            time_limit_model.objects.bulk_create(
                [
                    time_limit_model(event_type=sub, level=lvl, amount=amount, unit=unit_name)
                    for lvl, (amount, unit_name) in enumerate(map(_limit, limits), start=1)
                ]
            )
            created += 1
    return created
