"""Bulk reports from an Excel ledger (台账): every problem in one pass, then one all-or-nothing save.

One sheet (the first that has a 任务编号/task_id column), header in row 1:
任务编号 报告期 完成进度 进展情况 存在问题 下一步措施 需协调事项 已完成值 填报日期 (or the English names).
填报日期 (or 报送日期/报送时间) says when the unit reported: the statuses "as of" a past day count
the report from that day on. A row without it is dated by the import's `reported_on`, else the
import day. Other columns (任务名称, 牵头单位…) are ignored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import Engine

from loaders.clock import local_date
from loaders.problems import Problem
from loaders.progress.reports import (FIELD_LABELS, ReportDraft, TaskInfo, Where, Writer, cadences, check_report,
                                      save_reports)
from loaders.security.workbook import MAX_ROWS as MAX_SHEET_ROWS, WorkbookRefused, scan_workbook

HEADERS = {name: {name, label} for name, label in FIELD_LABELS.items()}
HEADERS["period"] |= {"报告期间", "填报期"}
HEADERS["percent"] |= {"完成进度（%）", "完成进度(%)", "完成比例"}
HEADERS["coordination"] |= {"需区领导协调事项", "需协调解决事项"}
HEADERS["problems"] |= {"存在的问题"}
HEADERS["reported_on"] |= {"报送日期", "报送时间", "填报时间"}
REQUIRED = ("task_id", "period", "percent")
MAX_ROWS = MAX_SHEET_ROWS - 1  # report rows under the header (scan_workbook refuses longer sheets first)


def _header_name(cell: object) -> str | None:
    text = "".join(str(cell or "").split())
    for name, accepted in HEADERS.items():
        if text in accepted or text.lower() == name:
            return name
    return None


def read_ledger(content: bytes, filename: str) -> tuple[list[tuple[Where, ReportDraft]], list[Problem]]:
    """Return the drafts of a ledger workbook with where each came from, and the problems of the file itself."""
    try:
        scan_workbook(content)  # sizes, rows and XML (no entity expansion) checked before openpyxl reads it
    except WorkbookRefused as refused:
        fix = refused.fix.replace("只保留 documents、tables、tasks 等工作表", "只保留台账工作表")  # the notice import's advice
        return [], [Problem(filename, None, None, refused.message, fix, sheet=refused.sheet)]
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return [], [Problem(filename, None, None, f"不是有效的 XLSX 工作簿（{type(error).__name__}）",
                            "用 Excel 或 WPS 打开后“另存为” .xlsx 再导入")]
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None) or ()
            names = [_header_name(cell) for cell in header]
            if "task_id" not in names:
                continue
            missing = [FIELD_LABELS[n] for n in REQUIRED if n not in names]
            if missing:
                return [], [Problem(filename, 1, None, f"缺少列：{'、'.join(missing)}",
                                    "第 1 行写列名：任务编号、报告期、完成进度、进展情况、存在问题、下一步措施、"
                                    "需协调事项、已完成值", sheet=sheet.title)]
            columns = {name: str(header[i]).strip() for i, name in enumerate(names) if name}
            drafts = []
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS + 1:
                    return [], [Problem(filename, number, None, f"超过 {MAX_ROWS} 行", "分成几个文件导入",
                                        sheet=sheet.title)]
                fields = {name: values[i] for i, name in enumerate(names) if name and i < len(values)}
                if all(_blank(v) for v in fields.values()):
                    continue
                fields = {k: v if k == "reported_on" else _cell_text(v) for k, v in fields.items()}
                drafts.append((Where(filename, sheet.title, number, columns), ReportDraft(**fields)))
            if not drafts:
                return [], [Problem(filename, None, None, "工作表中没有任何填报行", "在列名下面逐行填写",
                                    sheet=sheet.title)]
            return drafts, []
    finally:
        workbook.close()
    return [], [Problem(filename, 1, None, "没有找到“任务编号”（task_id）列",
                        "第 1 行写列名：任务编号、报告期、完成进度、进展情况、存在问题、下一步措施、需协调事项、已完成值")]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> object:
    # keep numbers as numbers (完成进度); a date cell in 报告期 becomes its month
    if isinstance(value, (datetime, date)):
        return f"{value.year}-{value.month:02d}"
    return value


def check_ledger(content: bytes, filename: str, book: dict[str, TaskInfo], cadence_of_doc: dict[str, str],
                 writer: Writer, today: date | None = None,
                 reported_on: date | None = None) -> tuple[list[dict], list[Problem]]:
    """Return the rows to store and every problem of the ledger (rows only when there is no problem).

    reported_on dates the rows that carry no 填报日期 of their own (e.g. a paper ledger collected on
    one day); without it they are dated the day they are stored.
    """
    drafts, problems = read_ledger(content, filename)
    rows, seen = [], {}
    for where, draft in drafts:
        if reported_on is not None and _blank(draft.reported_on):
            draft = replace(draft, reported_on=reported_on)
        row, row_problems = check_report(draft, book, cadence_of_doc, writer, where, today)
        problems += row_problems
        if row is not None:
            key = (row["task_id"], row["period"])
            if key in seen:
                problems.append(where.problem("period", f"任务 {key[0]} 的 {key[1]} 在第 {seen[key]} 行已经填过",
                                              "同一任务同一报告期只保留一行"))
            seen.setdefault(key, where.row)
            rows.append(row)
    return (rows if not problems else []), problems


def import_ledger(engine: Engine, content: bytes, filename: str, book: dict[str, TaskInfo], writer: Writer,
                  today: date | None = None, reported_on: date | None = None) -> tuple[int, list[Problem]]:
    """Check a ledger and, when it has no problem, store all its reports in one transaction; return (stored, problems)."""
    rows, problems = check_ledger(content, filename, book, cadences(engine), writer, today, reported_on)
    if problems:
        return 0, problems
    return save_reports(engine, rows, source="ledger"), []


PREVIEW_COLUMNS = ["label", "task_id", "period", "percent", "progress", "problems", "next_steps", "coordination",
                   "value_reached", "unit", "reported_on", "record"]
IMPORT_DAY = "导入当天"
NEW, CORRECTS = "新填报", "更正已有填报（原记录保留）"


def ledger_preview(rows: list[dict], tasks: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return the checked rows as they will be stored, with the task label and whether each corrects a stored report."""
    preview = pd.DataFrame(rows, columns=[c for c in PREVIEW_COLUMNS if c not in ("label", "record", "reported_on")])
    preview["reported_on"] = [local_date(row["reported_at"]).isoformat() if row.get("reported_at") else IMPORT_DAY
                              for row in rows]
    preview = preview.merge(tasks[["task_id", "label"]], on="task_id", how="left")
    stored = set(zip(reports["task_id"], reports["period"]))
    preview["record"] = [CORRECTS if key in stored else NEW for key in zip(preview["task_id"], preview["period"])]
    return preview[PREVIEW_COLUMNS]
