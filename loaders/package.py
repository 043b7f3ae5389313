"""Import files: a notice's tables in the curated layout, as an XLSX workbook or as CSV files.

An import file holds the same tables as data/curated/, restricted to one (or
more) notices: worksheets (or CSV files) named `documents`, `tables`, `tasks`,
and optionally `units`, `leaders` and `metrics` for dictionary entries the
notice needs. `read_package` turns the uploaded bytes into frames of text and
lists every problem it can see in the files themselves: empty, oversized, not
a spreadsheet, unknown sheets, merged cells, formulas, over-long cells.
Checking the content against the curated data is loaders/importing.py.
"""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula

from loaders.curated import SPECS
from loaders.problems import Problem, cap_problems
from loaders.security.workbook import MAX_CELLS, MAX_ROWS, WorkbookRefused, scan_workbook

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # one notice is about 0.2 MB; anything far larger is a wrong file
MAX_CELL_CHARS = 32_767  # the most one Excel cell can hold
PACKAGE_TABLES = ("documents", "tables", "tasks", "units", "leaders", "metrics")
REQUIRED_TABLES = ("documents", "tables", "tasks")
GUIDE_SHEET = "说明"
_FIX_FILE = "上传含 documents、tables、tasks 工作表的 XLSX 工作簿（可在数据维护页下载模板），或按这些表名命名的 CSV 文件"


@dataclass(frozen=True)
class UploadedFile:
    """One file as uploaded or named on the command line."""

    name: str
    data: bytes
    size: int | None = None  # the size on disk, when data holds only the first bytes of a file too big to read


@dataclass(frozen=True)
class Location:
    """Where one table of an import came from: a file, and a worksheet for XLSX."""

    file: str
    sheet: str | None
    rows: tuple[int, ...]  # the spreadsheet row of each frame row (blank rows are skipped)

    def row_of(self, position_row: int | None) -> int | None:
        """Return the spreadsheet row of a problem row counted as position + 2."""
        if position_row is None or not 2 <= position_row < len(self.rows) + 2:
            return position_row if position_row == 1 else None
        return self.rows[position_row - 2]


@dataclass
class Package:
    """The tables of an import by curated name, with where each came from."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things done silently, e.g. reading GB18030

    def locate(self, problem: Problem) -> Problem:
        """Return a problem reported against a curated file name, placed in the import file."""
        name = next((n for n, spec in SPECS.items() if spec.file == problem.file), None)
        where = self.locations.get(name)
        if where is None:
            return problem
        return Problem(where.file, where.row_of(problem.row), problem.column, problem.message, problem.fix,
                       sheet=where.sheet, value=problem.value, code=problem.code)


def read_package(files: list[UploadedFile], max_bytes: int = MAX_IMPORT_BYTES) -> tuple[Package, list[Problem]]:
    """Return the tables found in the uploaded files, and the problems of the files themselves."""
    package, problems = Package(), []
    if not files:
        return package, [Problem("（未选择文件）", None, None, "没有选择要导入的文件", _FIX_FILE)]
    for upload in files:
        problems += cap_problems(_read_file(upload, package, max_bytes))
    for name in REQUIRED_TABLES:
        if name not in package.tables and not any(p.row is None and p.column is None for p in problems):
            xlsx = [f.name for f in files if _kind(f) == "xlsx"]
            where, what = (xlsx[0], f"缺少工作表“{name}”") if xlsx else (files[0].name, f"缺少 {name}.csv")
            problems.append(Problem(where, None, None, what,
                                    f"加上 {name}（列：{'、'.join(SPECS[name].columns)}），或下载模板对照"))
    return package, problems


def _kind(upload: UploadedFile) -> str:
    head = upload.data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(upload.data[:4096]):
        return "utf16"
    if b"\x00" in upload.data[:4096]:
        return "binary"
    return "csv"


def _looks_utf16(head: bytes) -> bool:
    """Return whether text is UTF-16 without a byte order mark: every other byte is zero."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4 and min(even.count(0), odd.count(0)) == 0


def _read_file(upload: UploadedFile, package: Package, max_bytes: int) -> list[Problem]:
    name, size = upload.name, upload.size if upload.size is not None else len(upload.data)
    if size == 0:
        return [Problem(name, None, None, "文件是空的（0 字节）", _FIX_FILE)]
    if size > max_bytes:
        return [Problem(name, None, None, f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.0f} MB）",
                        "一次导入一份通知；删去与责任分解表无关的工作表、图片和格式后再试")]
    kind = _kind(upload)
    if kind == "utf16":
        return [Problem(name, None, None, "编码不对：文件是 UTF-16 编码（Excel 的“Unicode 文本”），无法按 CSV 读取",
                        "在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”；或上传 XLSX 工作簿")]
    if kind == "xls":
        return [Problem(name, None, None, "这是旧版 Excel 97-2003（.xls/.et）文件，无法读取",
                        "在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入")]
    if kind == "pdf":
        return [Problem(name, None, None, "这是 PDF 文件，不是表格",
                        "把通知中的责任分解表整理进导入模板（XLSX）后再导入")]
    if kind == "binary" or (kind == "csv" and name.lower().endswith((".xlsx", ".xlsm", ".xls"))):
        return [Problem(name, None, None, "文件内容不是表格（既不是 XLSX 工作簿，也不是 CSV 文本）", _FIX_FILE)]
    if kind == "xlsx":
        return _read_workbook(upload, package)
    return _read_csv(upload, package)


def _read_csv(upload: UploadedFile, package: Package) -> list[Problem]:
    stem = upload.name.rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().lower()
    if stem not in PACKAGE_TABLES:
        close = difflib.get_close_matches(stem, PACKAGE_TABLES, n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}.csv”？" if close else ""
        return [Problem(upload.name, None, None, "无法判断这是哪张表",
                        hint + "CSV 文件名应为 " + "、".join(f"{t}.csv" for t in PACKAGE_TABLES))]
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # WPS and Excel on Chinese Windows save "CSV" in the ANSI code page (GBK/GB18030)
        text = upload.data.decode("gb18030", errors="replace")
        package.notes.append(f"{upload.name} 不是 UTF-8 编码，已按 GB18030（WPS/Excel 中文默认）读取")
    records, cells = [], 0
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            records.append(record)
            cells += len(record)
            if len(records) > MAX_ROWS + 1 or cells > MAX_CELLS:
                what = f"超过 {MAX_ROWS} 行" if len(records) > MAX_ROWS + 1 else f"单元格超过 {MAX_CELLS} 个"
                return [Problem(upload.name, None, None, f"表格{what}（一份通知最多几千项任务）",
                                "删去表格下方的空行和无关内容，一次导入一份通知")]
    except csv.Error as error:
        return [Problem(upload.name, None, None, f"无法按 CSV 读取（{error}）", "在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”")]
    return _add_table(package, stem, records, Location(upload.name, None, ()))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _read_workbook(upload: UploadedFile, package: Package) -> list[Problem]:
    try:
        scan = scan_workbook(upload.data)  # the limits hold before openpyxl reads anything
    except WorkbookRefused as refused:
        return [Problem(upload.name, None, None, refused.message, refused.fix, sheet=refused.sheet)]
    try:
        workbook = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        return [Problem(upload.name, None, None, f"无法作为 XLSX 工作簿打开（{error.__class__.__name__}）",
                        "用 Excel 或 WPS 打开后重新“另存为”.xlsx；" + _FIX_FILE)]
    try:
        return _read_sheets(upload, package, workbook, scan)
    except MemoryError:
        raise  # read_package_isolated reports it as the memory limit
    except Exception as error:  # noqa: BLE001 - a parser facing hostile input: a message, never a traceback
        return [Problem(upload.name, None, None, f"无法读取工作簿内容（{error.__class__.__name__}），文件可能已损坏",
                        "用 Excel 或 WPS 打开后重新“另存为”.xlsx；" + _FIX_FILE)]
    finally:
        workbook.close()


def _read_sheets(upload: UploadedFile, package: Package, workbook, scan) -> list[Problem]:
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        title = sheet.title.strip()
        name = title.lower()
        if name not in PACKAGE_TABLES:
            close = difflib.get_close_matches(name, PACKAGE_TABLES, n=1, cutoff=0.6)
            if close:
                problems.append(Problem(upload.name, None, None, f"工作表名“{title}”无法识别",
                                        f"是否应为“{close[0]}”？改正工作表名", sheet=title))
            elif title != GUIDE_SHEET:
                package.notes.append(f"{upload.name} 的工作表“{title}”不是规范表，已忽略")
            continue
        sheet.reset_dimensions()  # a lying <dimension> would make openpyxl pad every row to it
        records, formulas = [], []
        for row in sheet.iter_rows():
            records.append([_cell_text(cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value)
                            for cell in row])
            formulas += [cell for cell in row if cell.data_type == "f" or isinstance(cell.value, ArrayFormula)]
        headers = records[0] if records else []
        problems += _merged_cells(upload.name, title, scan.merged.get(sheet.title, []), headers)
        problems += _formulas(upload.name, title, formulas, headers)
        problems += _add_table(package, name, records, Location(upload.name, title, ()))
    return problems


def _header_at(headers: list[str], column: int) -> str:
    return headers[column - 1] if 0 < column <= len(headers) and headers[column - 1] else get_column_letter(column)


def _merged_cells(file: str, title: str, merged: list[str], headers: list[str]) -> list[Problem]:
    problems = []
    for reference in merged:
        min_col, min_row, _, _ = range_boundaries(reference)
        problems.append(Problem(file, min_row, _header_at(headers, min_col), f"合并单元格 {reference}",
                                "取消合并，并在原来合并的每一行填上各自的值（Excel/WPS：取消合并后“定位空值”填充）",
                                sheet=title))
    return problems


def _formulas(file: str, title: str, cells: list, headers: list[str]) -> list[Problem]:
    problems = []
    for cell in cells:
        formula = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
        problems.append(Problem(file, cell.row, _header_at(headers, cell.column), f"单元格是公式“{formula}”，不是值",
                                "复制该列，再“选择性粘贴 → 数值”，保存后重新导入", sheet=title))
    return problems


def _add_table(package: Package, name: str, records: list[list[str]], where: Location) -> list[Problem]:
    if name in package.tables:
        return [Problem(where.file, None, None, f"表“{name}”出现了两次（另一处：{package.locations[name].file}）",
                        "每张表只保留一份", sheet=where.sheet)]
    if not records or not any(records[0]):
        return [Problem(where.file, 1, None, "没有表头行", f"第1行写列名：{'、'.join(SPECS[name].columns)}",
                        sheet=where.sheet)]
    headers = [h.strip() for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    problems: list[Problem] = []
    rows, kept = [], []
    for number, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record[:len(headers)]] + [""] * (len(headers) - len(record))
        if any(record[len(headers):]):
            problems.append(Problem(where.file, number, None, "表头之外的列有内容",
                                    "把内容移到对应的列，或补上该列的表头", sheet=where.sheet))
        if any(cells):
            rows.append(cells)
            kept.append(number)
    frame = pd.DataFrame(rows, columns=headers, dtype=object).astype(str) if rows else pd.DataFrame(columns=headers)
    if frame.columns.duplicated().any():
        duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
        return problems + [Problem(where.file, 1, "、".join(duplicated), "列名重复", "删去重复的列", sheet=where.sheet)]
    for column in frame.columns:
        lengths = frame[column].str.len()
        for position in frame.index[lengths > MAX_CELL_CHARS]:
            problems.append(Problem(where.file, kept[position], column,
                                    f"单元格有 {lengths[position]} 个字符，超过 {MAX_CELL_CHARS} 个的上限",
                                    "检查是否误粘贴了整篇文件；任务内容按原文分行录入", sheet=where.sheet))
    package.tables[name] = frame
    package.locations[name] = Location(where.file, where.sheet, tuple(kept))
    return problems


def package_workbook(tables: dict[str, pd.DataFrame], guide: list[str]) -> bytes:
    """Return an import workbook: a 说明 sheet, then one sheet per table, every cell as text."""
    workbook = Workbook()
    info = workbook.active
    info.title = GUIDE_SHEET
    for line in guide:
        info.append([line])
    info.column_dimensions["A"].width = 120
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for name in PACKAGE_TABLES:
        if name not in tables:
            continue
        sheet = workbook.create_sheet(name)
        frame = tables[name]
        sheet.append(list(frame.columns))
        for values in frame.itertuples(index=False):
            sheet.append(list(values))
        for row in sheet.iter_rows():
            for cell in row:
                # text such as "=1+1" stays text: openpyxl would otherwise store a formula
                cell.data_type = "s"
                cell.number_format = "@"
        wide = {"content", "title", "section", "note", "attachments", "synonyms"}
        for index, cell in enumerate(sheet[1], start=1):
            cell.font = Font(bold=True)
            cell.fill = header_fill
            sheet.column_dimensions[get_column_letter(index)].width = 60 if cell.value in wide else 16
        wrapped = Alignment(vertical="top", wrap_text=True)
        for column in sheet.iter_cols(min_row=2):
            if column and sheet.cell(1, column[0].column).value in wide:
                for cell in column:
                    cell.alignment = wrapped
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
