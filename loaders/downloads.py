"""Downloads of exactly the selected tasks: CSV for Excel/WPS (UTF-8 with BOM) and formatted XLSX.

These files are for people: a task is named by its label (2022年度·一(1)), never by
its id; the export package (loaders.export) is the machine format that keeps ids.
Cells that a spreadsheet would run as a formula (starting with = + - @) are
prefixed with a single quote, so Excel and WPS show them as text.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from loaders.clock import local_now
from loaders.frames import Frames
from loaders.text import safe_file_name
from loaders.vocabulary import (COLUMN_LABELS, MISSING_TEXT, NOT_REPORTED, ROLE_LABELS, SCOPE_LABELS, STATUS_COLORS,
                                STATUS_LABELS)

# the columns of a download, in order, with the headers every screen uses
# (people read the task label; the id stays in the export package only)
TASK_COLUMNS = {c: COLUMN_LABELS[c] for c in ("label", "district", "year", "doc_no", "scope", "section", "subsection",
                                              "seq", "project", "content", "leaders", "lead_units", "support_units",
                                              "note", "source_line")}
UNIT_COLUMNS = {c: COLUMN_LABELS[c] for c in ("label", "district", "unit", "unit_raw", "capacity", "category", "role",
                                              "source")}
DARK_STATUSES = ("far_behind", "not_reported", "on_track", "done")  # white text reads better on these fills
WIDE = {"任务内容": 80, "备注": 40, "板块/分组": 30, "项目名称": 18}
_FORMULA_START = ("=", "+", "-", "@")


def neutralize(value):
    """Return a cell value that a spreadsheet will show literally, never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def curated_csv_download(data: bytes) -> bytes:
    """Return a curated CSV file for download: the same table, cells that look like formulas neutralized.

    The file stays UTF-8 with BOM; only cells starting with = + - @ change
    (a leading single quote), so a spreadsheet shows them as text.
    """
    text = data.decode("utf-8-sig")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([neutralize(cell) for cell in record])
    return buffer.getvalue().encode("utf-8-sig")


def task_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    """Return the selected tasks with Chinese headers, codes as words and missing text said."""
    rows = tasks.assign(
        scope=tasks["scope"].map(SCOPE_LABELS),
        content=tasks["content"].where(~tasks["content_missing"], MISSING_TEXT),
    )
    rows = rows[list(TASK_COLUMNS)].rename(columns=TASK_COLUMNS)
    return rows.astype(object).where(rows.notna(), "").map(neutralize)


def unit_rows(frames: Frames, tasks: pd.DataFrame) -> pd.DataFrame:
    """Return the unit assignments of the selected tasks with Chinese headers, each task named by its label."""
    units = frames.task_units[frames.task_units["task_id"].isin(tasks["task_id"])]
    units = units.assign(label=units["task_id"].map(dict(zip(tasks["task_id"], tasks["label"]))),
                         role=units["role"].map(ROLE_LABELS),
                         source=units["source"].map({"table": "责任单位栏", "note": "备注"}))
    return units[list(UNIT_COLUMNS)].rename(columns=UNIT_COLUMNS).map(neutralize)


def csv_bytes(tasks: pd.DataFrame) -> bytes:
    """Return the selected tasks as CSV in UTF-8 with BOM (Excel and WPS open it with Chinese intact)."""
    return task_rows(tasks).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Return any table as CSV in UTF-8 with BOM, cells that a spreadsheet would run as a formula neutralized."""
    return frame.map(neutralize).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def display_width(text: str) -> int:
    """Return how many Latin-character widths a text takes (Chinese characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def xlsx_bytes(frames: Frames, tasks: pd.DataFrame, applied: list[tuple[str, str]],
               now: datetime | None = None, status: pd.DataFrame | None = None,
               as_of: date | None = None) -> bytes:
    """Return a workbook: 任务明细, 单位分工 and 筛选条件 (filters, time, the notices of the tasks in the file).

    status (loaders.progress.status.task_status rows, as of as_of) adds 状态 (cell in
    its colour) and 完成进度 after 牵头单位 — only when some task has a report; otherwise
    筛选条件 says that nothing has been reported and the two columns are left out.
    """
    workbook = Workbook()
    rows = task_rows(tasks)
    reported = status is not None and bool(status["latest_percent"].notna().any())
    if reported:
        rows, codes = with_status(rows, tasks, status)
    write_sheet(workbook.active, "任务明细", rows)
    if reported:
        paint_statuses(workbook.active, rows.columns.get_loc("状态") + 1, codes)
    write_sheet(workbook.create_sheet(), "单位分工", unit_rows(frames, tasks))
    info = workbook.create_sheet("筛选条件")
    info.append(["项目", "内容"])
    for name, value in applied:
        info.append([name, neutralize(value)])
    if status is not None:
        when = f"{as_of:%Y-%m-%d}" if as_of else ""
        info.append(["落实进度", f"状态和完成进度截至 {when}" if reported
                     else f"截至 {when} 尚无牵头单位填报进度，未列状态和完成进度"])
    info.append(["导出时间", (now or local_now()).strftime("%Y-%m-%d %H:%M")])
    info.append(["任务数", len(tasks)])
    for doc in source_notices(frames, tasks).itertuples():
        info.append(["来源通知", neutralize(f"{doc.doc_no} {doc.title}（{doc.signed_date or '未注明'}）")])
    style_sheet(info, {"项目": 12, "内容": 90})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def source_notices(frames: Frames, tasks: pd.DataFrame) -> pd.DataFrame:
    """Return the notices that some task of tasks comes from, in the order of frames.documents."""
    return frames.documents[frames.documents["doc_no"].isin(tasks["doc_no"])]


def with_status(rows: pd.DataFrame, tasks: pd.DataFrame, status: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Return task rows with 状态 and 完成进度（%） after 牵头单位, and each row's status code (for the fill)."""
    matched = tasks[["task_id"]].merge(status[["task_id", "status", "latest_percent"]], on="task_id", how="left")
    codes = matched["status"].fillna("").tolist()
    position = rows.columns.get_loc("牵头单位") + 1
    rows = rows.copy()
    rows.insert(position, "状态", [STATUS_LABELS.get(code, "") for code in codes])
    rows.insert(position + 1, "完成进度（%）", [NOT_REPORTED if pd.isna(v) else round(float(v), 2)
                                          for v in matched["latest_percent"]])
    return rows, codes


def status_fill(status: str) -> PatternFill:
    """Return the cell fill of a status: the colour of the 落实进度 charts."""
    return PatternFill("solid", fgColor=STATUS_COLORS[status].lstrip("#").upper())


def status_font(status: str) -> Font:
    return Font(color="FFFFFF" if status in DARK_STATUSES else "000000", bold=True)


def paint_statuses(sheet, column: int, statuses: list[str]) -> None:
    """Fill the status cells (column, rows 2…) in their status colours."""
    for row, status in enumerate(statuses, start=2):
        if status in STATUS_COLORS:
            cell = sheet.cell(row=row, column=column)
            cell.fill = status_fill(status)
            cell.font = status_font(status)


def write_sheet(sheet, title: str, rows: pd.DataFrame, wide: dict[str, int] = WIDE) -> None:
    """Write rows (cells already neutralized) with a bold frozen header, filter buttons and widths by text width."""
    sheet.title = title
    sheet.append(list(rows.columns))
    for values in rows.itertuples(index=False):
        sheet.append([v if not isinstance(v, float) or v == v else "" for v in values])
    widths = {c: min(wide.get(c, 60), max([display_width(c)] + [display_width(v) for v in rows[c]]) + 2)
              for c in rows.columns}
    style_sheet(sheet, widths)
    sheet.auto_filter.ref = sheet.dimensions


def style_sheet(sheet, widths: dict[str, int]) -> None:
    """Make the header bold and shaded, set column widths (header text → width), wrap the body, freeze row 1."""
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(cell.value, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"


def file_name(applied: list[tuple[str, str]], extension: str, prefix: str = "任务明细") -> str:
    """Return a file name that says what is inside: 任务明细_2022_区经信局_只看牵头_关键词垃圾.xlsx.

    Every filter in effect is named, so two different selections never get the same
    name (and never overwrite each other in the downloads folder): values as they
    are, switches (是/否) by their name, the keyword after 关键词.
    """
    parts = [prefix]
    for name, value in applied:
        if value in ("", "全部", "否", "无"):
            continue
        parts.append(name if value == "是" else "关键词" + "、".join(value.split()) if name == "关键词" else value)
    return safe_file_name(parts, extension)
