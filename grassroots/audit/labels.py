"""Chinese names for the audit log's action codes, for people reading the log.

The stored codes stay as they are: they are part of each row's signature, and searches and exports use them.
Three kinds of code are written: the fixed ones below; `event.<step>` for every step of the closed loop
(`commit_step`), named after the loop's own table; and `<model>.create|update|delete` from the audited admin pages.
`grassroots/audit/tests/test_action_labels.py` finds every code the code base writes and checks it has a name here.
"""

from django.apps import apps
from django.db.models import Model

# The loop's step names live with the loop; the audit log only reads them.
from grassroots.events.rules import ACTION_LABELS as EVENT_STEP_LABELS

ACTION_LABELS: dict[str, str] = {
    # Sign-in and personal data
    "login": "登录",
    "login.failed": "登录失败",
    "login.locked": "登录被锁定",
    "personal_data.read": "查看个人信息",
    "api_token.create": "创建接口令牌",
    "audit.export": "导出审计日志",
    "audit.purge": "清理过期审计记录",
    "api_token.revoke": "吊销接口令牌",
    "api_token.throttled": "接口令牌认证失败过多",
    "login.address_locked": "登录地址被锁定",
    "otp.enrol": "绑定双因素认证",
    "otp.failed": "双因素验证码错误",
    "otp.recovery_used": "使用恢复码登录",
    "otp.reset": "重置双因素认证",
    # Divisions and grids
    "division.create": "新增区划",
    "division.update": "修改区划",
    "division.import": "导入区划",
    "grid.create": "新增网格",
    "grid.update": "修改网格",
    "grid.import": "导入网格",
    # Events beyond their steps
    "event.attach": "上传事件附件",
    "eventtype.limits_update": "修改事件类型时限",
    "visit.record": "记录走访",
    "visit.link_event": "走访关联事件",
    "outboxemail.retry": "重发邮件",
    # Open311 and public reports
    "open_client.create": "创建接入方",
    "open_client.rotate_key": "更换接入方密钥",
    "open_client.revoke": "停用接入方",
    "open311.authenticate": "接入方认证失败",
    "open311.rate_limit": "接入方超出频率限制",
    "open311.page_report": "公众上报被拒",
    "open311.page_lookup": "公众查询被拒",
    # Links between workflows' records
    "workflow.link": "关联记录",
    "eventtype.publish": "发布事件类型版本",
    "eventtype.draft": "新建事件类型草稿版本",
    "eventtype.retire": "停用事件类型版本",
    "workflow.unlink": "解除关联",
    # The service catalogue (便民服务 事项清单)
    "serviceitem.import": "导入服务事项",
    "serviceitem.export": "导出服务事项",
    "serviceitem.publish": "发布服务事项版本",
    "serviceitem.draft": "新建服务事项草稿版本",
    "serviceitem.retire": "停用服务事项版本",
    # Market supervision (市场监管): the registry
    "marketentity.import": "导入市场主体",
    "marketentity.risk_override": "人工调整风险分类",
    "marketentity.risk_override_clear": "取消人工调整风险分类",
    "marketentity.credit_export": "导出市场主体信用档案",
    "marketentity.credit_print": "打印市场主体信用档案",
    "minutesdocument.download": "下载会议纪要",
    "abnormallisting.list": "列入经营异常名录",
    "abnormallisting.comply": "登记履行义务（经营异常名录）",
    "abnormallisting.remove": "移出经营异常名录",
    # Comprehensive enforcement (综合执法): the power list
    "power.import": "导入权力清单",
    "power.export": "导出权力清单",
    "power.publish": "公布职权",
    "power.unpublish": "撤回公布职权",
    # Comprehensive enforcement: plans, stations and daily reports
    "inspection_plan.create": "编制年度执法计划",
    "inspection_plan.revise": "修改年度执法计划",
    "inspection_plan.derive": "下达月度执法计划",
    "inspection_plan.move": "调整月度执法计划",
    "station.create": "设立执法站",
    "station.post_create": "执法站设岗",
    "roster.assign": "执法站排班",
    "roster.remove": "删除排班",
    "daily_report.submit": "每日巡查上报",
    "plan_bulletin.export": "导出执法计划季度通报",
    # Assessment
    "assessment.publish": "发布考核结果",
    "assessment.rerun": "重新计算考核",
    "assessment.rate": "人工评分",
    "assessment.report": "生成分析报告",
    "export": "导出数据",
    # Demo data
    "demo.load": "加载演示数据",
    "demo.history": "生成演示事件历史",
    "demo.convenience": "生成演示便民服务办件",
    "demo.market": "生成演示市场主体",
    "demo.market_inspections": "生成演示监督检查和双随机抽查",
    "demo.market_complaints": "生成演示投诉举报核查",
    "demo.powers": "生成演示权力清单",
    "demo.enforcement_plans": "生成演示执法计划和巡查上报",
}

# Object types that name no model (the others are a model's label, "app.model").
OBJECT_TYPE_LABELS = {"assessment.export": "导出", "open311.request": "公众上报"}

# Where the request came from (grassroots/audit/context.py).
CHANNEL_LABELS = {"web": "网页", "api": "接口", "command": "命令", "system": "系统"}

# What the audited admin pages (grassroots/core/admin.py) write after the model's name.
ADMIN_VERBS = {"create": "新增", "update": "修改", "delete": "删除"}


# Step names of the workflows other apps declare on the core (`<workflow>.<step>`, written by `commit_move`),
# registered by each app when Django starts: the workflow's noun and its steps' names.
WORKFLOW_STEP_LABELS: dict[str, tuple[str, dict[str, str]]] = {}


def register_step_labels(workflow: str, noun: str, labels: dict[str, str]) -> None:
    WORKFLOW_STEP_LABELS[workflow] = (noun, labels)


def _model_named(model_name: str) -> type[Model] | None:
    # Model names are unique across the installed apps (the test of this module checks it).
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return model
    return None


def action_label(code: str) -> str:
    """The Chinese name of an action code; the code itself when it has none."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    subject, _, verb = code.partition(".")
    if subject == "event" and verb in EVENT_STEP_LABELS:
        return f"事件{EVENT_STEP_LABELS[verb]}"
    if subject in WORKFLOW_STEP_LABELS and verb in WORKFLOW_STEP_LABELS[subject][1]:
        noun, labels = WORKFLOW_STEP_LABELS[subject]
        return f"{noun}{labels[verb]}"
    model = _model_named(subject) if verb in ADMIN_VERBS else None
    if model is not None:
        return f"{ADMIN_VERBS[verb]}{model._meta.verbose_name}"
    return code


def object_type_label(object_type: str) -> str:
    """The Chinese name of an audit row's object type: the model's name, or the type itself."""
    if object_type in OBJECT_TYPE_LABELS:
        return OBJECT_TYPE_LABELS[object_type]
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
