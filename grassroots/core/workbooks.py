"""Reading and writing the lists people keep in Excel (事项清单, 权力清单): the upload check, a sheet's rows parsed
column by column into values and per-cell errors, and a sheet written with a styled header.

An import built on this reads and checks every row before it writes anything; each app declares its columns (a
Chinese header, the field, how a cell becomes a value) and what a whole row or file must satisfy.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="F1F3F5")
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
NO = frozenset({"否", "", "n", "no", "false", "0", "×", "✗"})

Row = tuple[int, dict[str, Any], dict[str, str]]  # (Excel row number, field values, field errors)


class CellError(ValueError):
    """A cell that cannot become a value; the message is shown to the person who uploaded the file."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any]
    width: int = 14


@dataclass(frozen=True)
class RowError:
    """One problem of the file: `row` is the Excel row number (0 for the file or the sheet as a whole)."""

    sheet: str
    row: int
    column: str
    message: str


def text(value: Any) -> str:
    """A cell as trimmed text; a whole number typed into a text column (Excel's 12.0) loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def flag_of(yes: frozenset[str] = YES, no: frozenset[str] = NO) -> Callable[[Any], bool]:
    """A yes/no cell: a boolean, or one of the words in `yes` / `no` (case-insensitive)."""

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raw = text(value).lower()
        if raw in yes:
            return True
        if raw in no:
            return False
        raise CellError(f"“{text(value)}”应填“是”或“否”")

    return parse


def choice(choices: Any, what: str, aliases: dict[str, str] | None = None) -> Callable[[Any], str]:
    """A required choice cell: the choice's code, its Chinese name, or an alias."""
    by_name = {str(c.label): c.value for c in choices} | {c.value.lower(): c.value for c in choices}
    by_name |= aliases or {}

    def parse(value: Any) -> str:
        raw = text(value)
        if not raw:
            raise CellError(f"请填写{what}")
        found = by_name.get(raw) or by_name.get(raw.lower())
        if found is None:
            names = "、".join(str(c.label) for c in choices)
            raise CellError(f"未知的{what}“{raw}”，应为：{names}")
        return found

    return parse


def upload_problem(name: str, size: int, head: bytes, *, limit: int) -> str | None:
    """Why an uploaded file is refused before it is read (its name, its size against `limit` bytes, and its first
    bytes: an .xlsx is a zip archive), or None."""
    if not name.lower().endswith(".xlsx"):
        return "只能上传 Excel 文件（.xlsx）"
    if size > limit:
        return f"文件过大：不得超过 {limit // (1024 * 1024)} MB"
    if not head.startswith(b"PK\x03\x04"):
        return "文件内容不是 Excel（.xlsx）格式"
    return None


def sheet_rows(
    workbook: Any, name: str, columns: tuple[Column, ...], errors: list[RowError], *, max_rows: int
) -> list[Row]:
    """Every non-empty row of the sheet, each cell parsed by its column. A missing sheet or column, or more than
    `max_rows` filled rows, is one error in `errors` and ends the reading of that sheet."""
    if name not in workbook.sheetnames:
        errors.append(RowError(name, 0, "", f"缺少工作表“{name}”"))
        return []
    rows = workbook[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    positions = {h: i for i, h in enumerate(header) if h}
    missing = [c.header for c in columns if c.header not in positions]
    if missing:
        errors.append(RowError(name, 1, "、".join(missing), "缺少列：" + "、".join(missing)))
        return []
    found = []
    for number, cells in enumerate(rows, start=2):
        raw = {
            c.field: cells[positions[c.header]] if positions[c.header] < len(cells) else None for c in columns
        }
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            continue
        if number > max_rows + 1:
            errors.append(RowError(name, number, "", f"行数过多：此工作表最多 {max_rows} 行"))
            break
        values, problems = {}, {}
        for column in columns:
            try:
                values[column.field] = column.parse(raw[column.field])
            except CellError as exc:
                problems[column.field] = str(exc)
        found.append((number, values, problems))
    return found


def header_of(columns: tuple[Column, ...], field: str) -> str:
    return next(c.header for c in columns if c.field == field)


def write_sheet(
    workbook: Workbook, title: str, headers: list[str], widths: list[int], rows: list[list[Any]]
) -> None:
    """A sheet with a bold, shaded, frozen header row. A text cell starting with "=" stays text: an exported name
    never becomes a formula in the reader's Excel."""
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for col, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, row in enumerate(rows, start=2):
        sheet.append(row)
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(row=number, column=col).data_type = "s"
    sheet.freeze_panes = "B2"
