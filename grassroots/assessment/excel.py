"""Excel workbooks (openpyxl): any page table as a sheet, and the analysis report with its charts.

Rates go in as numbers with a percent format (so a meeting can re-sort and sum them); a rate with nothing due is
written as "—", as on the page.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.core.watermark import Watermark, watermark_workbook

from .choices import SubjectKind
from .indicators import Rate

HEADER_FILL = PatternFill("solid", fgColor="F1F3F5")
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True, color="3E4C59")
THIN = Side(style="thin", color="D9DEE3")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """A page table: the same rows feed the HTML and the Excel export."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""


def _cell_value(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, Rate):
        return (float(value.value), "0.00%") if value.value is not None else ("—", None)
    if isinstance(value, Decimal):
        return float(value), "0.00"
    if value is None:
        return "—", None
    return value, None


def _width(text: Any) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def write_table(sheet: Worksheet, table: Table, *, first_row: int = 1) -> int:
    """Write a titled table at `first_row`; returns the row after it."""
    sheet.cell(row=first_row, column=1, value=table.title).font = TITLE_FONT
    row = first_row + 1
    if table.note:
        sheet.cell(row=row, column=1, value=table.note).font = Font(color="6B7785")
        row += 1
    widths = [_width(h) for h in table.headers]
    for col, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=row, column=col, value=header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_row = row
    for values in table.rows:
        row += 1
        for col, raw in enumerate(values, start=1):
            value, number_format = _cell_value(raw)
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = BORDER
            if number_format:
                cell.number_format = number_format
            if value == "—":
                cell.alignment = Alignment(horizontal="right")
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], _width(raw if not isinstance(raw, Rate) else str(raw)))
    for col, width in enumerate(widths, start=1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, min(width + 3, 48)
        )
    if first_row == 1:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return row + 2


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    for ch in "[]:*?/\\":
        text = text.replace(ch, "")
    return text[:31] or "Sheet"


def tables_workbook(tables: Sequence[Table], *, mark: Watermark | None = None) -> bytes:
    """One sheet per table; with `mark`, every sheet carries the exporter's watermark."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        title = _sheet_title(table.title)
        while title in used:
            title = _sheet_title(title[:28] + f"{len(used)}")
        used.add(title)
        write_table(workbook.create_sheet(title), table)
    if mark is not None:
        watermark_workbook(workbook, mark)
    return _bytes(workbook)


# -- the analysis report ------------------------------------------------------------------------------------------


def _rate(data: dict[str, Any]) -> Rate:
    return Rate(data["n"], data["d"])


def report_tables(d: dict[str, Any]) -> dict[str, Table]:
    """The report's tables, by name: shown on the report page and written to the workbook (with charts)."""
    platform_total = sum(p["count"] for p in d["platforms"])
    level_total = sum(level["count"] for level in d["levels"])
    trend = d["trend"]
    tables = [
        Table(
            "counts",
            "事件数量",
            ["指标", "本期", "上期", "环比(%)"],
            [[c["label"], c["now"], c["before"], c["change"]] for c in d["counts"]],
        ),
        Table(
            "rates",
            "考核指标",
            ["指标", "本期", "分子", "分母", "上期", "口径"],
            [
                [
                    r["label"],
                    _rate(r["now"]),
                    r["now"]["n"],
                    r["now"]["d"],
                    _rate(r["before"]),
                    r["definition"],
                ]
                for r in d["rates"]
            ],
        ),
        Table(
            "platforms",
            "平台分布",
            ["平台", "上报数", "占比"],
            [[p["label"], p["count"], Rate(p["count"], platform_total)] for p in d["platforms"]],
        ),
        Table(
            "levels",
            "结案层级分布",
            ["层级", "结案数", "占比"],
            [[lv["label"], lv["count"], Rate(lv["count"], level_total)] for lv in d["levels"]],
        ),
        Table(
            "trend",
            "趋势",
            ["时段", "上报数", "结案数", "应结案数", "按期结案数", "按期结案率"],
            [
                [
                    label,
                    trend["reported"][i],
                    trend["closed"][i],
                    trend["due_close"][i],
                    trend["closed_on_time"][i],
                    Rate(trend["closed_on_time"][i], trend["due_close"][i]),
                ]
                for i, label in enumerate(trend["labels"])
            ],
        ),
        Table(
            "ranking",
            f"{SubjectKind(d['ranking_kind']).label}排名",
            [
                "名次",
                "升降",
                "名称",
                "所属",
                "上报数",
                "应结案数",
                "办结率",
                "按期结案率",
                "按期处置率",
                "满意率",
            ],
            [
                [
                    r["rank"],
                    change_label(r["change"]),
                    r["name"],
                    r["parent"],
                    r["reported"],
                    r["due_close"],
                    _rate(r["completion"]),
                    _rate(r["on_time_completion"]),
                    _rate(r["on_time_handling"]),
                    _rate(r["satisfaction"]),
                ]
                for r in d["ranking"]
            ],
        ),
        Table(
            "overdue_units",
            "超期处置单位",
            ["单位", "类型", "应处置数", "超期数", "按期处置率"],
            [[u["name"], u["kind"], u["due"], u["overdue"], _rate(u["on_time"])] for u in d["overdue_units"]],
        ),
        Table(
            "hot_grids",
            "热点网格",
            ["网格", "村社区", "上报数"],
            [[g["name"], g["village"], g["count"]] for g in d["hot_grids"]],
        ),
    ]
    return {t.name: t for t in tables}


def change_label(change: int | None) -> str:
    """A ranking's move since the previous period: ↑2, ↓1, or — for none."""
    if not change:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}"


def report_workbook(data: dict[str, Any]) -> bytes:
    """The weekly/monthly analysis as a workbook: the report page's tables, one sheet each after the summary,
    with an openpyxl chart where a chart helps, and the findings."""
    tables = report_tables(data)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "概况"
    period, previous, area = data["period"], data["previous"], data["area"]
    summary["A1"] = f"{area['name']} {period['label']} 事件分析"
    summary["A1"].font = Font(bold=True, size=16)
    summary["A2"] = f"数据截至 {data.get('as_of_label') or data['as_of'][:16]}；对比周期：{previous['label']}"
    summary["A2"].font = Font(color="6B7785")
    row = write_table(summary, tables["counts"], first_row=4)
    write_table(summary, tables["rates"], first_row=row)

    sheet = _table_sheet(workbook, "平台分布", tables["platforms"])
    rows = len(tables["platforms"].rows)
    pie = PieChart()
    pie.title = "平台分布"
    pie.add_data(Reference(sheet, min_col=2, min_row=2, max_row=2 + rows), titles_from_data=True)
    pie.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
    pie.dataLabels = DataLabelList()
    pie.dataLabels.showPercent = True
    sheet.add_chart(pie, "E2")

    sheet = _table_sheet(workbook, "层级分布", tables["levels"])
    bar = BarChart()
    bar.title = "结案层级分布"
    bar.add_data(Reference(sheet, min_col=2, min_row=2, max_row=6), titles_from_data=True)
    bar.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=6))
    bar.legend = None
    sheet.add_chart(bar, "E2")

    sheet = _table_sheet(workbook, "趋势", tables["trend"])
    rows = len(tables["trend"].rows)
    line = LineChart()
    line.title = "上报与结案趋势"
    line.add_data(Reference(sheet, min_col=2, max_col=3, min_row=2, max_row=2 + rows), titles_from_data=True)
    line.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
    line.width, line.height = 22, 9
    sheet.add_chart(line, "H2")

    _table_sheet(workbook, "排名", tables["ranking"])

    sheet = _table_sheet(workbook, "超期单位", tables["overdue_units"])
    rows = len(tables["overdue_units"].rows)
    if rows:
        bar = BarChart()
        bar.type = "bar"
        bar.title = "超期处置数"
        bar.add_data(Reference(sheet, min_col=4, min_row=2, max_row=2 + rows), titles_from_data=True)
        bar.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
        bar.legend = None
        bar.width, bar.height = 18, 10
        sheet.add_chart(bar, "G2")

    _table_sheet(workbook, "热点网格", tables["hot_grids"])

    sheet = workbook.create_sheet("研判意见")
    sheet["A1"] = "研判意见"
    sheet["A1"].font = TITLE_FONT
    for i, text in enumerate(data["findings"], start=3):
        sheet.cell(row=i, column=1, value=f"{i - 2}. {text}")
    sheet.column_dimensions["A"].width = 110
    return _bytes(workbook)


def _table_sheet(workbook: Workbook, title: str, table: Table) -> Worksheet:
    sheet = workbook.create_sheet(title)
    write_table(sheet, table)
    return sheet
