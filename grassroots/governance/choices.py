"""The choices of the governance platform's records: a dispute's states, sources, types, parties, risk, outcome,
referral routes, judicial confirmation and performance (DOMAIN.md §7 综治工作; 人民调解法)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeStatus(models.TextChoices):
    """Where a dispute stands (纠纷状态). Only the services of `services/disputes*.py` set it (`rules.TABLE`)."""

    REGISTERED = (
        "registered",
        _("已登记"),
    )  # 调解登记: reported or applied for; the committee has not decided yet
    ACCEPTED = "accepted", _("已受理")  # the committee takes it on, mediators named; the month starts
    REFUSED = "refused", _("不予调解")  # a party clearly refuses (第十七条): no mediation
    MEDIATING = "mediating", _("调解中")  # at least one session held
    AGREED = "agreed", _("达成协议")  # a written or oral agreement (第二十八条); performance supervised
    FAILED = "failed", _("调解终止")  # not settled: terminated, the other routes named (第二十六条)
    CONFIRMED = "confirmed", _("已司法确认")  # a court ruled the agreement valid (第三十三条)
    CLOSED = "closed", _("已结案")  # final: performed and verified, or a refusal/failure filed


# States in which a dispute is still being worked (lists, clocks, risk reports).
OPEN_STATUSES = frozenset(
    {
        DisputeStatus.REGISTERED,
        DisputeStatus.ACCEPTED,
        DisputeStatus.MEDIATING,
        DisputeStatus.AGREED,
        DisputeStatus.CONFIRMED,
    }
)


class DisputeSource(models.TextChoices):
    """Where a dispute came from (纠纷来源)."""

    PATROL = "patrol", _("网格巡查")  # a grid worker found it on patrol
    VISIT = "visit", _("来访申请")  # a party came to the committee and applied (当事人申请)
    HOTLINE = "hotline", _("热线电话")  # the county head's line, 12345, the committee's phone
    EVENT = "event", _("事件转入")  # an event of the closed loop converted into a dispute
    POLICE = "police", _("公安移送（警调对接）")  # referred by the police before accepting it (第十八条)
    COURT = "court", _("法院委派（诉调对接）")  # referred by a court before accepting the case
    PROCURATORATE = "procuratorate", _("检察院移送（检调对接）")


# Sources that are a referral by another body: the referring body is named.
REFERRAL_SOURCES = frozenset({DisputeSource.POLICE, DisputeSource.COURT, DisputeSource.PROCURATORATE})


class DisputeType(models.TextChoices):
    """What the dispute is about (纠纷类型)."""

    FAMILY = "family", _("婚姻家庭纠纷")
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    LAND = "land", _("土地（宅基地、山林）纠纷")
    LABOUR = "labour", _("劳动争议（劳资纠纷）")
    CONTRACT = "contract", _("合同纠纷")
    DAMAGES = "damages", _("损害赔偿纠纷")
    OTHER = "other", _("其他纠纷")


class PartyKind(models.TextChoices):
    """Who a party is (当事人类型): a person's identity is personal data, an organisation's is public."""

    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class PartySide(models.TextChoices):
    """Which side a party is on (当事人地位)."""

    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class RiskLevel(models.TextChoices):
    """The risk that the dispute escalates (激化风险); high is reported to the police (第二十五条)."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高（可能激化）")  # may turn into a public-security or criminal case


class DisputeOutcome(models.TextChoices):
    """How the mediation ended (调解结果); empty while it has not."""

    WRITTEN = "written", _("达成书面协议")  # 调解协议书 signed by all, the mediator, the committee's seal
    ORAL = "oral", _("达成口头协议")  # its content recorded; effective when reached (第三十条)
    FAILED = "failed", _("调解不成")  # terminated; the parties told of the other routes


AGREEMENT_OUTCOMES = frozenset({DisputeOutcome.WRITTEN, DisputeOutcome.ORAL})


class ReferralRoute(models.TextChoices):
    """The route named to the parties when mediation fails (告知其他途径, 第二十六条)."""

    LITIGATION = "litigation", _("诉讼")
    ARBITRATION = "arbitration", _("仲裁")
    PETITION = "petition", _("信访")
    ADMINISTRATIVE = "administrative", _("行政处理")
    OTHER_BODY = "other_body", _("移交其他部门")


class ConfirmationResult(models.TextChoices):
    """The court's ruling on an application for judicial confirmation (司法确认)."""

    VALID = "valid", _("确认有效")  # the agreement is enforceable
    REJECTED = "rejected", _("驳回申请")  # the parties may change it by mediation again or go to court


class Performance(models.TextChoices):
    """What a follow-up visit found of the agreement's performance (履行情况)."""

    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")
