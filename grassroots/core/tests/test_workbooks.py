"""The shared workbook reading and writing (`core/workbooks.py`) on real .xlsx files."""

import io

from openpyxl import Workbook, load_workbook

from grassroots.core.workbooks import CellError, Column, RowError, sheet_rows, upload_problem, write_sheet


def _number(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise CellError(f"“{value}”应为整数") from None


COLUMNS = (Column("名称", "name", lambda v: str(v or "").strip()), Column("数量", "count", _number))


def _book(*rows: list[object], title: str = "清单") -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def test_rows_are_parsed_with_each_bad_cell_named_and_blank_rows_skipped() -> None:
    errors: list[RowError] = []
    rows = sheet_rows(
        _book(["数量", "名称"], [3, "甲"], [None, None], ["x", "乙"]), "清单", COLUMNS, errors, max_rows=9
    )
    assert errors == []
    assert rows == [(2, {"name": "甲", "count": 3}, {}), (4, {"name": "乙"}, {"count": "“x”应为整数"})]


def test_a_missing_sheet_or_column_or_too_many_rows_is_one_error() -> None:
    errors: list[RowError] = []
    assert sheet_rows(_book(["名称"]), "别的", COLUMNS, errors, max_rows=9) == []
    assert sheet_rows(_book(["名称"], ["甲"]), "清单", COLUMNS, errors, max_rows=9) == []
    rows = sheet_rows(
        _book(["名称", "数量"], ["甲", 1], ["乙", 2], ["丙", 3]), "清单", COLUMNS, errors, max_rows=2
    )
    assert [r[0] for r in rows] == [2, 3]
    assert errors == [
        RowError("别的", 0, "", "缺少工作表“别的”"),
        RowError("清单", 1, "数量", "缺少列：数量"),
        RowError("清单", 4, "", "行数过多：此工作表最多 2 行"),
    ]


def test_uploads_are_refused_by_name_size_and_first_bytes() -> None:
    assert upload_problem("a.xls", 10, b"PK\x03\x04", limit=100) == "只能上传 Excel 文件（.xlsx）"
    assert upload_problem("a.xlsx", 101, b"PK\x03\x04", limit=100) is not None
    assert upload_problem("a.xlsx", 10, b"%PDF", limit=100) == "文件内容不是 Excel（.xlsx）格式"
    assert upload_problem("a.XLSX", 100, b"PK\x03\x04", limit=100) is None


def test_a_written_cell_starting_with_equals_stays_text() -> None:
    book = Workbook()
    book.remove(book.active)
    write_sheet(book, "清单", ["名称", "数量"], [20, 8], [['=HYPERLINK("http://x")', 1]])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["清单"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"
