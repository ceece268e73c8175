"""The words of the market-supervision platform's registry (DOMAIN.md §7, 市场监管)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    """The kind of market entity (市场主体类型)."""

    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    BRANCH = "branch", _("分支机构")


class EntityStatus(models.TextChoices):
    """Registration status (登记状态)."""

    OPERATING = "operating", _("存续")
    DEREGISTERED = "deregistered", _("注销")
    REVOKED = "revoked", _("吊销")


class FoodClass(models.TextChoices):
    """Food-business class (食品经营类别); drives the risk class."""

    NONE = "none", _("非食品经营")
    PRODUCTION = "production", _("食品生产")
    SALES = "sales", _("食品销售")
    CATERING_LARGE = "catering_large", _("大型餐饮")
    CATERING_SMALL = "catering_small", _("小型餐饮")
    CANTEEN = "canteen", _("单位食堂")


class Demonstration(models.TextChoices):
    """Demonstration status (示范创建), lowest to highest."""

    NONE = "none", _("无")
    STREET = "street", _("示范街商户")
    COUNTY = "county", _("县级示范单位")
    CITY = "city", _("市级示范单位")
    PROVINCE = "province", _("省级示范单位")


class RiskClass(models.TextChoices):
    """Credit risk class (信用风险分类): A low to D high (docs/market.md)."""

    A = "A", _("A 类（低风险）")
    B = "B", _("B 类（一般风险）")
    C = "C", _("C 类（较高风险）")
    D = "D", _("D 类（高风险）")


class LicenceKind(models.TextChoices):
    """The licences the registry keeps (许可证类别)."""

    FOOD_BUSINESS = "food_business", _("食品经营许可证")
    FOOD_PRODUCTION = "food_production", _("食品生产许可证")
    SMALL_CATERING = "small_catering", _("小餐饮登记证")
    DRUG_RETAIL = "drug_retail", _("药品经营许可证")
    MEDICAL_DEVICE = "medical_device", _("医疗器械经营备案")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备使用登记证")
    OTHER = "other", _("其他许可")


class AbnormalReason(models.TextChoices):
    """Why an entity is listed in the 经营异常名录 (DOMAIN.md §7)."""

    NO_ANNUAL_REPORT = "no_annual_report", _("未按规定报送年度报告")
    UNREACHABLE = "unreachable", _("通过登记的住所或经营场所无法联系")
    FALSE_INFORMATION = "false_information", _("公示信息隐瞒真实情况、弄虚作假")


# Key-entity tags (重点监管对象), free to extend; the risk rule gives each a weight (docs/market.md).
KEY_TAGS = {
    "school_canteen": "学校食堂",
    "elderly_canteen": "养老机构食堂",
    "cold_chain": "冷链食品",
    "hazardous_chemicals": "危险化学品",
    "special_equipment": "特种设备",
    "large_supermarket": "大型超市",
    "farmers_market": "农贸市场",
}


class InspectionKind(models.TextChoices):
    """Why an inspection is made (检查类型)."""

    ROUTINE = "routine", _("日常检查")
    COMPLAINT = "complaint", _("投诉举报核查")
    CAMPAIGN = "campaign", _("专项检查")
    RANDOM = "random", _("双随机抽查")


class InspectionStatus(models.TextChoices):
    """An inspection's state; only the services set it (table: rules.TABLE)."""

    ASSIGNED = "assigned", _("待检查")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class Conclusion(models.TextChoices):
    """What the inspectors found on site (检查结果), published for random inspections."""

    COMPLIANT = "compliant", _("未发现问题")
    PROBLEMS = "problems", _("发现问题，责令整改")
    NOT_FOUND = "not_found", _("未发现开展经营活动")  # 查无下落 / 停业: published as such


class CheckResult(models.TextChoices):
    """One check point of the checklist."""

    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    RECTIFIED = "rectified", _("已整改")


class PenaltyKind(models.TextChoices):
    """行政处罚法 第九条 kinds the township records (the case itself is 综合执法's)."""

    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    SUSPENSION = "suspension", _("责令停产停业、限制开展生产经营活动")
    OTHER = "other", _("其他")


class Procedure(models.TextChoices):
    SIMPLE = "simple", _("简易程序（当场处罚）")
    GENERAL = "general", _("普通程序")
