"""The words of the comprehensive-enforcement platform (DOMAIN.md §7, 综合执法)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerCategory(models.TextChoices):
    """The kind of power (职权类型), with the national 事项类型 codes."""

    PENALTY = "CF", _("行政处罚")
    COMPULSION = "QZ", _("行政强制")
    INSPECTION = "JC", _("行政检查")
    OTHER = "QT", _("其他行政权力")


class DiscretionLevel(models.TextChoices):
    """裁量阶次 of a discretion table, from the lightest to the heaviest."""

    NONE = "none", _("不予处罚")
    MITIGATED = "mitigated", _("减轻处罚")
    LIGHTER = "lighter", _("从轻处罚")
    GENERAL = "general", _("一般处罚")
    HEAVIER = "heavier", _("从重处罚")


# -- enforcement cases (行政处罚案件) ---------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    """Where an enforcement case stands (案件状态); `rules.TABLE` says how it moves."""

    LEAD = "lead", _("线索核查")  # a lead being verified (15 工作日) before 立案 is decided
    FILING = "filing", _("立案审批")  # the officers asked for 立案; the head decides
    NOT_FILED = "not_filed", _("不予立案")  # final: one of the grounds of 第二十条
    INVESTIGATING = "investigating", _("调查取证")  # 立案 approved: the 90-day clock runs
    REVIEWING = "reviewing", _("法制审核")  # the proposal is with the legal reviewer
    REVIEWED = (
        "reviewed",
        _("审核通过"),
    )  # reviewed: next 告知 (before notice) or 集体讨论/决定 (after a hearing)
    NOTIFIED = (
        "notified",
        _("已告知"),
    )  # the party was told of the proposed penalty; 5 工作日 to ask for a hearing
    HEARING = "hearing", _("听证")  # the party asked for a hearing: the 90-day clock is paused
    HEARD = "heard", _("听证结束")  # the hearing was held (or the party did not come); review follows
    DISCUSSED = "discussed", _("集体讨论")  # a major case discussed by the unit's heads
    DECIDED = "decided", _("已决定")  # the decision is made; to be served within 7 工作日
    SERVED = "served", _("已送达")  # the decision reached the party; payment within 15 日
    EXECUTED = "executed", _("已执行")  # paid, or enforced
    CLOSED = "closed", _("已结案")  # 结案 with the closing report
    ARCHIVED = "archived", _("已归档")  # final: the file is archived


# Until a decision is made the file is open to evidence (调查取证 may go on through review and hearing).
BEFORE_DECISION = frozenset(
    {
        CaseStatus.LEAD,
        CaseStatus.FILING,
        CaseStatus.INVESTIGATING,
        CaseStatus.REVIEWING,
        CaseStatus.REVIEWED,
        CaseStatus.NOTIFIED,
        CaseStatus.HEARING,
        CaseStatus.HEARD,
        CaseStatus.DISCUSSED,
    }
)
# While the 90-day clock exists (from 立案 to the decision).
CASE_CLOCK_STATUSES = BEFORE_DECISION - {CaseStatus.LEAD, CaseStatus.FILING}


class CaseSource(models.TextChoices):
    """Where the lead came from (案件来源)."""

    EVENT = "event", _("事件转办")  # an event of the 综合执法 platform
    INSPECTION = "inspection", _("监督检查")  # an inspection that found problems
    COMPLAINT = "complaint", _("投诉举报")
    TRANSFER = "transfer", _("移送交办")  # transferred or assigned by another agency
    PATROL = "patrol", _("巡查发现")


class PartyKind(models.TextChoices):
    """The party (当事人): a natural person (身份证) or an organisation (统一社会信用代码)."""

    PERSON = "person", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class CaseProcedure(models.TextChoices):
    SIMPLE = "simple", _("简易程序（当场处罚）")
    GENERAL = "general", _("普通程序")


class CasePenaltyKind(models.TextChoices):
    """行政处罚的种类 (行政处罚法 第九条), as a case records it."""

    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    SUSPENSION = "suspension", _("责令停产停业、责令关闭、限制开展生产经营活动")
    LICENCE = "licence", _("暂扣许可证件、降低资质等级、吊销许可证件")
    OTHER = "other", _("其他行政处罚")


class CaseOutcome(models.TextChoices):
    """The four outcomes of 行政处罚法 第五十七条."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY_MINOR = "no_penalty_minor", _("不予行政处罚（违法行为轻微）")
    NO_PENALTY_UNPROVEN = "no_penalty_unproven", _("不予行政处罚（违法事实不能成立）")
    TRANSFER = "transfer", _("移送司法机关")


class NoFilingGround(models.TextChoices):
    """不予立案 grounds (市场监督管理行政处罚程序规定 第二十条)."""

    MINOR_CORRECTED = "minor_corrected", _("违法行为轻微并及时改正，没有造成危害后果")
    FIRST_OFFENCE = "first_offence", _("初次违法且危害后果轻微并及时改正")
    NO_FAULT = "no_fault", _("当事人有证据足以证明没有主观过错")
    OTHER = "other", _("依法可以不予立案的其他情形")


class FilingCondition(models.TextChoices):
    """The four conditions of 立案 (第十九条); the approval confirms each."""

    EVIDENCE = "evidence", _("有证据初步证明存在违反法律、法规、规章的行为")
    PUNISHABLE = "punishable", _("依据法律、法规、规章应当给予行政处罚")
    JURISDICTION = "jurisdiction", _("属于本部门管辖")
    IN_TIME = "in_time", _("在给予行政处罚的法定期限内")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("书证（PDF 或照片）")
    NOTE = "note", _("笔录摘要")
    AUDIO = "audio", _("录音")


class DocumentKind(models.TextChoices):
    """文书 generated from a case."""

    FILING_FORM = "filing_form", _("立案审批表")
    NOTICE = "notice", _("行政处罚告知书")
    DECISION = "decision", _("行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")


class ServiceMethod(models.TextChoices):
    """送达方式 (民事诉讼法, via 行政处罚法 第六十一条)."""

    ON_SPOT = "on_spot", _("当场交付")
    DIRECT = "direct", _("直接送达")
    LEFT = "left", _("留置送达")
    ELECTRONIC = "electronic", _("电子送达")
    POST = "post", _("邮寄送达")
    ENTRUSTED = "entrusted", _("委托送达")
    PUBLIC = "public", _("公告送达")


class ExecutionManner(models.TextChoices):
    PAID = "paid", _("当事人自觉履行（缴纳罚款）")
    ENFORCED = "enforced", _("申请人民法院强制执行")
    PERFORMED = "performed", _("当事人已履行（非罚款类）")
