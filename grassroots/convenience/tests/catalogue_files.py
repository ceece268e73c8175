"""Catalogue workbooks for tests, written with openpyxl as a person would fill them in: headers in Chinese, a
sheet of items and one of materials."""

from pathlib import Path
from typing import Any

from openpyxl import Workbook

ITEM_HEADERS = [
    "事项编码", "事项名称", "事项类型", "实施机关", "办理层级", "后台办理科室", "设定依据", "受理条件", "办理流程",
    "收费标准", "办理渠道", "受理窗口", "法定时限（工作日）", "承诺时限（工作日）", "到现场次数", "最多跑一次",
    "零跑腿", "不见面", "中心镇（街道）清单", "发展型乡镇清单", "生态型乡镇清单", "村级可办", "关键词",
]  # fmt: skip
MATERIAL_HEADERS = ["事项编码", "序号", "材料名称", "材料形式", "份数", "必要性", "填报说明", "样表"]


def item_row(code: str, name: str, changes: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    row = {
        "事项编码": code,
        "事项名称": name,
        "事项类型": "公共服务",
        "实施机关": "嘉善县民政局",
        "办理层级": "乡镇（街道）",
        "后台办理科室": "MZB",
        "设定依据": "《浙江省实施〈中华人民共和国老年人权益保障法〉办法》",
        "受理条件": "本镇户籍，年满 80 周岁",
        "办理流程": "申请—审核—发放",
        "收费标准": "不收费",
        "办理渠道": "窗口、网上",
        "受理窗口": "综合受理窗口",
        "法定时限（工作日）": 10,
        "承诺时限（工作日）": 3,
        "到现场次数": 1,
        "最多跑一次": "是",
        "零跑腿": "否",
        "不见面": "否",
        "中心镇（街道）清单": "是",
        "发展型乡镇清单": "是",
        "生态型乡镇清单": "否",
        "村级可办": "否",
        "关键词": "",
    }
    row.update(changes or {})
    row.update(more)
    return row


def material_row(code: str, name: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    row = {
        "事项编码": code,
        "序号": None,
        "材料名称": name,
        "材料形式": "原件",
        "份数": 1,
        "必要性": "必需",
        "填报说明": "",
        "样表": "",
    }
    row.update(changes or {})
    return row


def write_workbook(path: Path, items: list[dict[str, Any]], materials: list[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事项"
    sheet.append(ITEM_HEADERS)
    for row in items:
        sheet.append([row.get(h) for h in ITEM_HEADERS])
    sheet = workbook.create_sheet("申请材料")
    sheet.append(MATERIAL_HEADERS)
    for row in materials:
        sheet.append([row.get(h) for h in MATERIAL_HEADERS])
    workbook.save(path)
    return path


def good_file(tmp_path: Path, name: str = "清单.xlsx") -> Path:
    return write_workbook(
        tmp_path / name,
        [
            item_row("GG330421101", "高龄津贴申领", {"关键词": "老年 补贴", "村级可办": "是"}),
            item_row(
                "XK330421102",
                "农村宅基地建房审批",
                {
                    "事项类型": "行政许可",
                    "法定时限（工作日）": 20,
                    "承诺时限（工作日）": 5,
                    "办理渠道": "窗口",
                    "中心镇（街道）清单": "是",
                    "发展型乡镇清单": "否",
                    "生态型乡镇清单": "是",
                },
            ),
        ],
        [
            material_row("GG330421101", "申请人身份证", {"材料形式": "原件及复印件"}),
            material_row("XK330421102", "建房申请表", {"样表": "见附件一"}),
            material_row(
                "XK330421102", "四邻意见书", {"必要性": "视情形提供", "填报说明": "涉及相邻权时提供"}
            ),
            material_row("XK330421102", "户口簿", {"必要性": "可容缺", "份数": 2}),
        ],
    )
