"""Data tables for the demo district: places, units and the name pools people are drawn from."""

from dataclasses import dataclass

from grassroots.geo.choices import DivisionKind
from grassroots.org.choices import AgencyClass
from grassroots.people.choices import Role

DISTRICT_CODE = "330421"
DISTRICT_NAME = "嘉善县"
DEMO_PASSWORD = "Demo@2026"

# A convex outline around Jiashan (WGS-84 lon/lat); townships, villages and grids tile it.
DISTRICT_OUTLINE = (
    (120.805, 30.862),
    (120.822, 30.822),
    (120.868, 30.803),
    (120.935, 30.801),
    (120.998, 30.812),
    (121.038, 30.846),
    (121.046, 30.902),
    (121.024, 30.958),
    (120.972, 30.993),
    (120.902, 30.998),
    (120.846, 30.978),
    (120.812, 30.925),
)


@dataclass(frozen=True)
class VillageSpec:
    name: str
    community: bool  # 社区（居委会） or 村（村委会）
    grids: int


@dataclass(frozen=True)
class TownshipSpec:
    code: str  # the 9-digit township code
    name: str
    short: str  # the prefix of its agencies' names: 西塘派出所
    kind: DivisionKind
    seat: tuple[float, float] | None  # the town centre; None: placed at random
    villages: tuple[VillageSpec, ...]


def _villages(communities: str, villages: str) -> tuple[VillageSpec, ...]:
    """Parse "西塘社区:10 塘东社区:9" lists: name and grid count."""
    specs = []
    for text, community in ((communities, True), (villages, False)):
        for item in text.split():
            name, grids = item.split(":")
            specs.append(VillageSpec(name=name, community=community, grids=int(grids)))
    return tuple(specs)


# The three townships of size 1. Xitang has the 132 grids of seed 000.
BASE_TOWNSHIPS = (
    TownshipSpec(
        code="330421001",
        name="魏塘街道",
        short="魏塘",
        kind=DivisionKind.STREET,
        seat=(120.923, 30.843),
        villages=_villages(
            "魏中社区:7 花园路社区:6 东门社区:6 车站社区:6 亭桥社区:5 谈公社区:5 城西社区:5",
            "长秀村:4 鑫锋村:4 武长村:4",
        ),
    ),
    TownshipSpec(
        code="330421102",
        name="西塘镇",
        short="西塘",
        kind=DivisionKind.TOWN,
        seat=(120.889, 30.945),
        villages=_villages(
            "西塘社区:10 塘东社区:9 金明社区:8 西园社区:8",
            "红菱村:8 翠南村:6 地甸村:7 大舜村:7 星建村:8 钟葫村:6 鸦鹊村:7 "
            "杨秀村:7 南苑村:6 荷池村:8 礼庄村:7 胥塘村:7 卫星村:6 北栅村:7",
        ),
    ),
    TownshipSpec(
        code="330421400",
        name="嘉善经济技术开发区",
        short="开发区",
        kind=DivisionKind.ZONE,
        seat=(120.995, 30.872),
        villages=_villages("东云社区:5 新港社区:5 鑫达社区:4", "金家村:4 宏伟村:4 长丰村:4 东升村:4"),
    ),
)

# Further townships for --size > 1: Jiashan's other towns first, then invented ones.
EXTRA_TOWNSHIPS = (
    ("330421002", "罗星街道", "罗星", DivisionKind.STREET, (120.915, 30.818)),
    ("330421003", "惠民街道", "惠民", DivisionKind.STREET, (120.958, 30.835)),
    ("330421101", "大云镇", "大云", DivisionKind.TOWN, (120.872, 30.818)),
    ("330421103", "干窑镇", "干窑", DivisionKind.TOWN, (120.852, 30.872)),
    ("330421104", "陶庄镇", "陶庄", DivisionKind.TOWN, (120.835, 30.955)),
    ("330421105", "姚庄镇", "姚庄", DivisionKind.TOWN, (121.012, 30.930)),
    ("330421106", "天凝镇", "天凝", DivisionKind.TOWN, (120.842, 30.918)),
)
# Village and grid counts of an invented township, by kind: (communities, villages, grids per community, per village).
TOWNSHIP_SHAPES = {
    DivisionKind.STREET: (7, 3, (4, 8), (3, 5)),
    DivisionKind.TOWN: (4, 12, (6, 10), (5, 8)),
    DivisionKind.ZONE: (3, 4, (4, 5), (3, 5)),
}
# Syllables for invented place names (两字地名), Jiangnan water-town flavour.
PLACE_FIRST = "东西南北新联胜丰星红金长永洪徐沈陆钱范俞姚汾泗洙蒋曹凤桃枫横芦荻马鹤秀云"
PLACE_SECOND = "港桥浜塘湾庄泾荡圩河溪浦汇丰星光明华兴民富强利盛和安泰宏益秀家墩林园"

# County departments (县级部门): code suffix, name.
COUNTY_DEPARTMENTS = (
    ("ZFW", "中共嘉善县委政法委员会"),
    ("GAJ", "嘉善县公安局"),
    ("SCJG", "嘉善县市场监督管理局"),
    ("ZHZF", "嘉善县综合行政执法局"),
    ("SFJ", "嘉善县司法局"),
    ("ZRZY", "嘉善县自然资源和规划局"),
    ("STHJ", "嘉兴市生态环境局嘉善分局"),
    ("ZJJ", "嘉善县住房和城乡建设局"),
    ("MZJ", "嘉善县民政局"),
    ("RSJ", "嘉善县人力资源和社会保障局"),
    ("WJJ", "嘉善县卫生健康局"),
    ("YJJ", "嘉善县应急管理局"),
    ("NYJ", "嘉善县农业农村局"),
    ("WGLT", "嘉善县文化和广电旅游体育局"),
    ("XFJ", "嘉善县信访局"),
)

# Township offices (乡镇科室): code suffix, name after the township's name, staff.
Staff = tuple[tuple[Role, int], ...]
TOWNSHIP_OFFICES: tuple[tuple[str, str, Staff], ...] = (
    ("DZB", "党政办公室", ((Role.LEADER, 4), (Role.DEPARTMENT_STAFF, 1))),
    ("ZZB", "社会治安综合治理办公室", ((Role.PLATFORM_COORDINATOR, 1), (Role.DEPARTMENT_STAFF, 2))),
    ("XFB", "信访办公室", ((Role.DEPARTMENT_STAFF, 1),)),
    ("RWB", "人民武装部", ((Role.DEPARTMENT_STAFF, 1),)),
    ("BMFW", "便民服务中心", ((Role.PLATFORM_COORDINATOR, 1), (Role.WINDOW_CLERK, 6))),
    ("JYBZ", "就业保障服务中心", ((Role.WINDOW_CLERK, 2), (Role.DEPARTMENT_STAFF, 1))),
    ("SHSW", "社会事务办公室", ((Role.DEPARTMENT_STAFF, 2),)),
    ("JJFZ", "经济发展办公室", ((Role.DEPARTMENT_STAFF, 2),)),
    ("SAB", "食品安全委员会办公室", ((Role.PLATFORM_COORDINATOR, 1), (Role.DEPARTMENT_STAFF, 1))),
    ("NJSL", "农技水利服务中心", ((Role.DEPARTMENT_STAFF, 1),)),
    ("ZFB", "综合行政执法办公室", ((Role.PLATFORM_COORDINATOR, 1), (Role.DEPARTMENT_STAFF, 1))),
    ("AJZ", "安全生产监督管理站", ((Role.INSPECTOR, 2),)),
    ("CJB", "村镇建设管理办公室", ((Role.DEPARTMENT_STAFF, 1),)),
)
# Offices whose cadres serve as grid instructors (包村干部), in turn.
INSTRUCTOR_OFFICES = ("DZB", "ZZB", "SHSW", "JJFZ", "CJB", "NJSL", "XFB")


@dataclass(frozen=True)
class AgencySpec:
    """A dispatched agency (派驻机构); `name` has {short} for the township, `street_class` overrides in 街道."""

    suffix: str
    name: str
    parent: str  # the county department's code suffix
    agency_class: AgencyClass
    staff: Staff
    street_class: AgencyClass | None = None


# Classes as in seed 004 (Shangyu): 司法所, 文化站 and the enforcement squad in a town are A; the squad in a 街道,
# the police, market supervision, land and environment offices are B.
AGENCIES = (
    AgencySpec("PCS", "{short}派出所", "GAJ", AgencyClass.B, ((Role.DEPARTMENT_STAFF, 3),)),
    AgencySpec("JJZD", "{short}交警中队", "GAJ", AgencyClass.B, ((Role.DEPARTMENT_STAFF, 2),)),
    AgencySpec(
        "SFS", "{short}司法所", "SFJ", AgencyClass.A, ((Role.MEDIATOR, 2), (Role.DEPARTMENT_STAFF, 1))
    ),
    AgencySpec(
        "SCJG", "{short}市场监管所", "SCJG", AgencyClass.B, ((Role.INSPECTOR, 3), (Role.DEPARTMENT_STAFF, 1))
    ),
    AgencySpec(
        "ZFZD",
        "综合行政执法{short}中队",
        "ZHZF",
        AgencyClass.A,
        ((Role.INSPECTOR, 4), (Role.DEPARTMENT_STAFF, 1)),
        street_class=AgencyClass.B,
    ),
    AgencySpec(
        "ZRZY",
        "{short}自然资源和规划所",
        "ZRZY",
        AgencyClass.B,
        ((Role.DEPARTMENT_STAFF, 2), (Role.INSPECTOR, 1)),
    ),
    AgencySpec("STHJ", "{short}生态环境站", "STHJ", AgencyClass.B, ((Role.INSPECTOR, 2),)),
    AgencySpec("WHZ", "{short}文化站", "WGLT", AgencyClass.A, ((Role.DEPARTMENT_STAFF, 1),)),
)

# The four platforms (seed 003, seed 000): lead unit, daily-management office, member units (code suffixes).
PLATFORMS = {
    "governance": ("ZZB", "ZZB", ("ZZB", "PCS", "JJZD", "SFS", "RWB", "XFB")),
    "market": ("SCJG", "SAB", ("SCJG", "SAB", "NJSL", "SHSW", "JJFZ")),
    "enforcement": ("ZFZD", "ZFB", ("ZFZD", "ZFB", "ZRZY", "STHJ", "AJZ", "CJB")),
    "service": ("BMFW", "BMFW", ("BMFW", "JYBZ", "SHSW", "WHZ")),
}
# The platform each coordinator office coordinates.
COORDINATOR_PLATFORM = {"ZZB": "governance", "SAB": "market", "ZFB": "enforcement", "BMFW": "service"}

WINDOWS = ("综合受理", "社保医保", "民政残联", "不动产登记", "企业开办", "出件")
COMMAND_ROOM_STAFF: Staff = ((Role.SHIFT_LEAD, 2), (Role.OPERATOR, 3), (Role.DISPATCHER, 2))
ABSENCE_REASONS = ("年休假", "病假", "外出培训", "出差", "事假")

# Surnames weighted toward those common around Jiaxing; given-name characters by sex.
SURNAMES = (
    ("沈", 6), ("张", 6), ("王", 6), ("陈", 6), ("陆", 5), ("朱", 5), ("徐", 5), ("顾", 4), ("钱", 4), ("吴", 4),
    ("周", 4), ("金", 4), ("李", 4), ("姚", 3), ("孙", 3), ("蒋", 3), ("杨", 3), ("许", 3), ("戴", 2), ("俞", 2),
    ("倪", 2), ("费", 2), ("曹", 2), ("潘", 2), ("范", 2), ("冯", 2), ("胡", 2), ("刘", 2), ("郁", 1), ("屠", 1),
    ("盛", 1), ("褚", 1), ("钟", 1), ("汤", 1), ("邵", 1), ("严", 1), ("孔", 1), ("马", 1), ("凌", 1), ("施", 1),
)  # fmt: skip
GIVEN_MALE = "伟强磊军勇杰涛斌明超刚平辉建国华峰亮林俊浩宇晨鑫凯文志海波荣忠春新良东飞健永德庆龙"
GIVEN_FEMALE = "芳娟敏静丽艳娜霞婷燕玲萍红梅莉琴雪慧颖洁倩佳月英丹晓琳瑶怡妍欣菊凤兰秀雯蓉君"
PHONE_PREFIXES = (
    *(f"13{d}" for d in range(10)),
    *(f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)),
    *(f"18{d}" for d in range(10)),
)
