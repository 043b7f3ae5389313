"""The 进度台账 as an XLSX file: one row per task with its status (cell colour as on 落实进度) and latest report.

Sheets: 进度台账 (the rows), 状态图例 (each status in its colour and what it means),
筛选条件 (filters, as-of date, export time). Text people wrote is neutralized
(a cell starting with = + - @ shows as text, never runs as a formula).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook

from loaders.clock import local_now
from loaders.downloads import file_name, neutralize, paint_statuses, status_fill, status_font, style_sheet, write_sheet
from loaders.frames import Frames
from loaders.progress.board import status_board
from loaders.progress.status import STATUS_ORDER, reported_as_of, rule_text, status_of
from loaders.select import Filters, select
from loaders.vocabulary import NOT_REPORTED, SCOPE_LABELS, STATUS_LABELS

LEDGER_COLUMNS = {
    "label": "任务", "task_id": "任务编号", "district": "区县", "year": "年度", "leaders": "牵头领导",
    "lead_units": "牵头单位", "status_label": "状态", "expected_percent": "序时进度（%）",
    "latest_percent": "完成进度（%）", "last_period": "应报报告期", "overdue_periods": "逾期未报",
    "reported_period": "最近报告期", "progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施",
    "coordination": "需协调事项", "value_reached": "已完成值", "unit": "填报单位", "reported_by": "填报人",
    "reported_on": "填报日期", "content": "任务内容",
}
WIDE = {"任务内容": 60, "进展情况": 50, "存在问题": 40, "下一步措施": 40, "需协调事项": 40, "逾期未报": 30,
        "牵头单位": 30, "已完成值": 24}


def ledger_board(frames: Frames, filters: Filters, reports: pd.DataFrame, milestones: pd.DataFrame | None,
                 cadences: dict[str, str] | None, as_of: date) -> pd.DataFrame:
    """Return the board of the selected tasks as of a date (as the 落实进度 page computes it)."""
    tasks = select(frames, filters).tasks
    reported = reported_as_of(reports, as_of)
    return status_board(tasks, status_of(tasks, reported, milestones, cadences), reported.latest)


def applied_filters(filters: Filters, board: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """Return the sidebar filters as (name, value) pairs, for the 筛选条件 sheet and the file name.

    The district is named even when the data hold only one (taken from the board's rows).
    """
    districts = board["district"].dropna().unique() if board is not None else []
    district = filters.district or (districts[0] if len(districts) == 1 else "全部")
    return [("区县", district), ("年度", "、".join(map(str, filters.years)) or "全部"),
            ("表格", "、".join(SCOPE_LABELS[s] for s in filters.scopes) or "全部"), ("牵头领导", filters.leader or "全部")]


def ledger_file_name(applied: list[tuple[str, str]], as_of: date) -> str:
    """Return e.g. 进度台账_鹿城区_2022_截至2022-09-30.xlsx: every filter in effect and the as-of date."""
    return file_name([*applied, ("截至", f"截至{as_of:%Y-%m-%d}")], "xlsx", prefix="进度台账")


def ledger_rows(board: pd.DataFrame) -> pd.DataFrame:
    """Return the board as the ledger's rows: Chinese headers, percents as numbers, text neutralized."""
    rows = board.reindex(columns=list(LEDGER_COLUMNS)).copy()
    rows["expected_percent"] = rows["expected_percent"].map(_number)
    rows["latest_percent"] = [NOT_REPORTED if pd.isna(v) else _number(v) for v in rows["latest_percent"]]
    rows["reported_on"] = rows["reported_on"].map(lambda d: "" if d is None or pd.isna(d) else f"{d:%Y-%m-%d}")
    rows["year"] = rows["year"].map(lambda y: "" if pd.isna(y) else int(y))
    text = [c for c in LEDGER_COLUMNS if c not in ("expected_percent", "latest_percent", "year")]
    rows[text] = rows[text].astype(object).where(rows[text].notna(), "").map(neutralize)
    return rows.rename(columns=LEDGER_COLUMNS)


def ledger_xlsx(board: pd.DataFrame, applied: list[tuple[str, str]], as_of: date,
                now: datetime | None = None) -> bytes:
    """Return the 进度台账 workbook of a board (loaders.progress.board.status_board rows)."""
    workbook = Workbook()
    sheet = workbook.active
    write_sheet(sheet, "进度台账", ledger_rows(board), WIDE)
    paint_statuses(sheet, list(LEDGER_COLUMNS.values()).index("状态") + 1, board["status"].tolist())
    legend(workbook.create_sheet())
    info = workbook.create_sheet("筛选条件")
    info.append(["项目", "内容"])
    for name, value in applied:
        info.append([name, neutralize(value)])
    info.append(["截至日期", f"{as_of:%Y-%m-%d}"])
    info.append(["导出时间", (now or local_now()).strftime("%Y-%m-%d %H:%M")])
    info.append(["任务数", len(board)])
    counts = board["status"].value_counts()
    for status in STATUS_ORDER:
        info.append([STATUS_LABELS[status], int(counts.get(status, 0))])
    style_sheet(info, {"项目": 14, "内容": 60})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def legend(sheet) -> None:
    """Write the 状态图例 sheet: each status word in its colour, then the rule."""
    meaning = dict(line.split("：", 1) for line in rule_text().splitlines() if "：" in line)
    sheet.title = "状态图例"
    sheet.append(["状态", "含义"])
    for status in STATUS_ORDER:
        label = STATUS_LABELS[status]
        sheet.append([label, meaning.get(label, "")])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.fill, cell.font = status_fill(status), status_font(status)
    sheet.append([])
    for line in rule_text().splitlines():
        if line.split("：", 1)[0] not in STATUS_LABELS.values():  # the statuses are explained above
            sheet.append(["规则", line])
    style_sheet(sheet, {"状态": 14, "含义": 90})


def _number(value):
    if value is None or pd.isna(value):
        return ""
    return round(float(value), 2)
