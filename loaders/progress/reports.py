"""Checking and saving what units write: reports, milestones, comments, the per-notice cadence.

Every check runs before anything is written and returns all problems at once;
a save is one transaction (all rows or none). Nothing is ever updated or
deleted: a correction is a new report for the same task and period.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from loaders.clock import local_date, local_to_utc, local_today, local_zone, utc_now
from loaders.problems import Problem
from loaders.progress.db import transaction
from loaders.progress.due_dates import due_date
from loaders.progress.models import MAX_SHORT, MAX_TEXT, Comment, Milestone, NoticeCadence, Report
from loaders.progress.periods import CADENCES, DEFAULT_CADENCE, cadence_of, parse_period, periods

TEXT_FIELDS = {"progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施", "coordination": "需协调事项"}
FIELD_LABELS = {"task_id": "任务编号", "period": "报告期", "percent": "完成进度", **TEXT_FIELDS,
                "value_reached": "已完成值", "reported_on": "填报日期"}
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[%％]?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a date as ledgers write it (2022-07-08, 2022/7/8, 2022.7.8, 2022年7月8日), optionally with a time (15:30)
_LOCAL_DATE = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
                         r"(?:\s*[T ]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*\d{1,2}\s*秒?)?\s*分?)?\s*$")


@dataclass(frozen=True)
class Writer:
    """Who is writing: a unit's reporter (district + unit) or an admin (may write for any unit)."""

    name: str
    district: str = ""
    unit: str = ""
    is_admin: bool = False


@dataclass
class ReportDraft:
    """A report as entered (form or ledger row), before it is checked."""

    task_id: object
    period: object
    percent: object
    progress: object = ""
    problems: object = ""
    next_steps: object = ""
    coordination: object = ""
    value_reached: object = ""
    reported_on: object = None  # when the unit reported (a ledger's 填报日期); none: when it is stored


@dataclass
class Where:
    """Where a draft came from, for messages: a file, sheet, row and the column names used there."""

    file: str = "填报"
    sheet: str | None = None
    row: int | None = None
    columns: dict[str, str] = field(default_factory=lambda: dict(FIELD_LABELS))

    def problem(self, name: str, message: str, fix: str) -> Problem:
        return Problem(self.file, self.row, self.columns.get(name, FIELD_LABELS.get(name, name)), message, fix,
                       sheet=self.sheet)


@dataclass(frozen=True)
class TaskInfo:
    """What a check needs to know of one task."""

    task_id: str
    district: str
    year: int
    scope: str
    doc_no: str
    lead_units: frozenset[str]
    support_units: frozenset[str]
    label: str = ""  # how people cite the task (2022年度(3)), for messages
    content: str = ""


def task_book(tasks: pd.DataFrame, task_units: pd.DataFrame) -> dict[str, TaskInfo]:
    """Return task_id → TaskInfo from the tasks and task_units frames."""
    leads: dict[str, set[str]] = {}
    supports: dict[str, set[str]] = {}
    for task_id, unit, role in zip(task_units["task_id"], task_units["unit"], task_units["role"]):
        (leads if role == "lead" else supports).setdefault(task_id, set()).add(unit)
    named = tasks.assign(label=tasks["label"] if "label" in tasks else tasks["task_id"])
    return {
        t.task_id: TaskInfo(t.task_id, t.district, int(t.year), t.scope, t.doc_no,
                            frozenset(leads.get(t.task_id, ())), frozenset(supports.get(t.task_id, ())),
                            str(t.label), str(t.content))
        for t in named[["task_id", "district", "year", "scope", "doc_no", "label", "content"]].itertuples(index=False)
    }


def may_report(writer: Writer, task: TaskInfo) -> bool:
    """Return whether writer may report on task: an admin, or the reporter of one of its lead units."""
    return writer.is_admin or (writer.district == task.district and writer.unit in task.lead_units)


def may_comment(writer: Writer, task: TaskInfo) -> bool:
    """Return whether writer may comment on task: an admin, or a lead or support unit of it."""
    return may_report(writer, task) or (writer.district == task.district and writer.unit in task.support_units)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def parse_reported_on(value: object) -> datetime | None:
    """Return a 填报日期/报送时间 as a local time without a zone (midnight for a date); None when blank.

    Raises ValueError for text that is no date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    match = _LOCAL_DATE.match(str(value))
    if not match:
        raise ValueError(str(value))
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    return datetime(year, month, day, hour, minute)  # ValueError for 2022-02-30 or 25:00


def parse_percent(value: object) -> float | None:
    """Return a 完成进度 as a number 0–100 (85, 85.5, "85%"), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        found = _PERCENT.match(_text(value))
        if not found:
            return None
        number = float(found.group(1))
    if math.isnan(number) or not 0 <= number <= 100:
        return None
    return number


def check_report(draft: ReportDraft, book: dict[str, TaskInfo], cadences: dict[str, str], writer: Writer,
                 where: Where | None = None, today: date | None = None,
                 required: tuple[str, ...] = ()) -> tuple[dict | None, list[Problem]]:
    """Return the row to store (or None) and every problem of one draft.

    required: text fields that must not be empty (the form asks for 进展情况; a ledger row may leave it out).
    """
    where = where or Where()
    today = today or local_today()
    problems: list[Problem] = []
    task_id = _text(draft.task_id)
    task = book.get(task_id)
    if not task_id:
        problems.append(where.problem("task_id", "没有填任务编号", "填写任务编号，如 2022-annual-001（见任务明细页）"))
    elif task is None:
        problems.append(where.problem("task_id", f"没有编号为“{task_id}”的任务",
                                      "核对任务编号（见任务明细页或导出的 tasks.csv 的 task_id 列）"))
    elif not may_report(writer, task):
        problems.append(where.problem("task_id", f"任务“{task_id}”的牵头单位不是{writer.unit or writer.name}",
                                      f"只能填报本单位牵头的任务；该任务由{'、'.join(sorted(task.lead_units))}牵头"
                                      "。配合单位可以在任务下留言。"))

    period_text = _text(draft.period)
    period = parse_period(period_text)
    if period is None:
        problems.append(where.problem("period", f"报告期“{period_text}”无法识别",
                                      "季度写作 2022-Q2，月度写作 2022-06"))
    elif task is not None:
        cadence = cadences.get(task.doc_no, DEFAULT_CADENCE)
        if cadence_of(period.label) != cadence:
            example = "2022-Q2" if cadence == "quarter" else "2022-06"
            problems.append(where.problem("period", f"{task.doc_no}按{CADENCES[cadence]}填报，"
                                          f"报告期“{period_text}”不是{CADENCES[cadence]}",
                                          f"按{CADENCES[cadence]}填写报告期，如 {example}"))
        elif period not in periods(task.year, task.scope, cadence):
            span = periods(task.year, task.scope, cadence)
            problems.append(where.problem("period", f"报告期 {period.label} 不在任务的期限内"
                                          f"（{span[0].label} 至 {span[-1].label}）",
                                          "填写任务期限内的报告期"))
        elif period.start > today:
            problems.append(where.problem("period", f"报告期 {period.label} 还没有开始",
                                          "填写已经开始的报告期"))

    reported_at = None
    try:
        reported_on = parse_reported_on(draft.reported_on)
    except ValueError:
        problems.append(where.problem("reported_on", f"填报日期“{_text(draft.reported_on)}”无法识别",
                                      "写作 2022-07-08（可带时间，如 2022-07-08 15:30），或留空（记为导入当天）"))
    else:
        if reported_on is not None and reported_on.date() > today:
            problems.append(where.problem("reported_on", f"填报日期 {reported_on:%Y-%m-%d} 在今天（{today}）之后",
                                          "填写单位实际报送的日期"))
        elif reported_on is not None and period is not None and reported_on.date() < period.start:
            problems.append(where.problem("reported_on", f"填报日期 {reported_on:%Y-%m-%d} 早于报告期 {period.label} "
                                          f"的开始（{period.start}）", "核对填报日期和报告期"))
        elif reported_on is not None:
            reported_at = local_to_utc(reported_on)

    percent = parse_percent(draft.percent)
    if percent is None:
        problems.append(where.problem("percent", f"完成进度“{_text(draft.percent)}”不是 0 到 100 之间的数",
                                      "填写 0–100 的数字，如 75（可带 %）；“一半”请写作 50"))

    row = {"task_id": task_id, "period": period.label if period else "", "percent": percent,
           "value_reached": _text(draft.value_reached)}
    for name in TEXT_FIELDS:
        row[name] = _text(getattr(draft, name))
    for name in required:
        if not row[name]:
            problems.append(where.problem(name, f"没有填写{FIELD_LABELS[name]}", f"写明本报告期的{FIELD_LABELS[name]}"))
    for name in (*TEXT_FIELDS, "value_reached"):
        limit = MAX_SHORT if name == "value_reached" else MAX_TEXT
        if len(row[name]) > limit:
            problems.append(where.problem(name, f"内容有 {len(row[name])} 个字，超过 {limit} 字的上限",
                                          f"精简到 {limit} 字以内，详细材料另行报送"))
        if _CONTROL.search(row[name]):
            problems.append(where.problem(name, "内容含有不可见的控制字符",
                                          "删去这些字符（常见于从其他系统复制的文字）后重新填写"))
    if problems:
        return None, problems
    row.update(district=task.district, unit=writer.unit if not writer.is_admin else _admin_unit(task, writer),
               reported_by=writer.name)
    if reported_at is not None:
        row["reported_at"] = reported_at
    return row, []


def _admin_unit(task: TaskInfo, writer: Writer) -> str:
    return writer.unit or "、".join(sorted(task.lead_units))


def save_reports(engine: Engine, rows: list[dict], source: str = "form", at: datetime | None = None) -> int:
    """Store checked rows as new reports in one transaction (all or none); return how many were stored.

    A row's own reported_at (a ledger's 填报日期) is kept; the others are dated `at`, by default now.
    """
    at = at or utc_now()
    with transaction(engine) as session:
        session.add_all(Report(**{**row, "reported_at": row.get("reported_at") or at}, source=source) for row in rows)
    return len(rows)


def report(engine: Engine, draft: ReportDraft, book: dict[str, TaskInfo], writer: Writer,
           today: date | None = None, required: tuple[str, ...] = ()) -> list[Problem]:
    """Check and store one report; return the problems (nothing is stored when there are any)."""
    row, problems = check_report(draft, book, cadences(engine), writer, today=today, required=required)
    if row is not None:
        save_reports(engine, [row], "correction" if writer.is_admin else "form")
    return problems


def reports_frame(engine: Engine, after_id: int = 0) -> pd.DataFrame:
    """Return the stored reports (oldest first), with reported_on, the local date of reported_at.

    after_id > 0 returns only the reports stored after that one: reports are append-only
    (the database refuses UPDATE and DELETE), so a reader that holds the reports up to
    some id needs only the newer rows to be up to date (see ui/progress/store.py).
    """
    columns = ["id", "task_id", "period", "percent", "progress", "problems", "next_steps", "coordination",
               "value_reached", "district", "unit", "reported_by", "reported_at", "source"]
    query = select(*(getattr(Report, c) for c in columns)).where(Report.id > after_id).order_by(Report.id)
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame = frame.reindex(columns=columns)
    # the local date of each stored UTC time, computed for the column at once (as local_date does for one)
    local = pd.to_datetime(frame["reported_at"]).dt.tz_localize("UTC").dt.tz_convert(local_zone().key)
    frame["reported_on"] = local.dt.date if len(frame) else pd.Series([], dtype=object)
    return frame


def cadences(engine: Engine) -> dict[str, str]:
    """Return doc_no → cadence (quarter or month) as last set; notices not listed report by quarter."""
    with engine.connect() as connection:
        rows = connection.execute(select(NoticeCadence.doc_no, NoticeCadence.cadence)
                                  .order_by(NoticeCadence.set_at, NoticeCadence.id)).all()
    return {doc_no: cadence for doc_no, cadence in rows}


def set_cadence(engine: Engine, doc_no: str, cadence: str, by: str) -> None:
    """Record that a notice's tasks report by quarter or by month (a new row; earlier settings are kept)."""
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {sorted(CADENCES)}")
    with transaction(engine) as session:
        session.add(NoticeCadence(doc_no=doc_no, cadence=cadence, set_by=by, set_at=utc_now()))


def save_milestones(engine: Engine, task: TaskInfo, items: list[tuple[date, str, date | None]],
                    writer: Writer) -> list[Problem]:
    """Record a task's 时间节点 (date, what is due, done on) as a new plan; return problems (nothing stored then)."""
    where = Where(columns={"due_date": "时间", "what": "节点内容"})
    problems = []
    if not may_report(writer, task):
        problems.append(where.problem("task_id", f"任务“{task.task_id}”的牵头单位不是{writer.unit or writer.name}",
                                      "只有牵头单位可以制定时间节点"))
    if not items:
        problems.append(where.problem("what", "没有填写任何时间节点", "至少填写一个时间节点"))
    for due, what, _done in items:
        if not _text(what):
            problems.append(where.problem("what", f"{due} 的节点没有写内容", "写明到期时要完成什么"))
        elif len(_text(what)) > MAX_TEXT:
            problems.append(where.problem("what", f"节点内容超过 {MAX_TEXT} 字", "精简内容"))
    if problems:
        return problems
    at = utc_now()
    with transaction(engine) as session:
        session.add_all(Milestone(task_id=task.task_id, due_date=due, what=_text(what), done_on=done,
                                  unit=writer.unit or "、".join(sorted(task.lead_units)), plan_at=at,
                                  recorded_by=writer.name) for due, what, done in items)
    return []


def milestones_frame(engine: Engine) -> pd.DataFrame:
    """Return every stored milestone (all plans), with plan_on, the local date of its plan."""
    columns = ["id", "task_id", "due_date", "what", "done_on", "unit", "plan_at", "recorded_by"]
    with engine.connect() as connection:
        frame = pd.read_sql(select(*(getattr(Milestone, c) for c in columns)).order_by(Milestone.id), connection)
    frame = frame.reindex(columns=columns)
    frame["plan_on"] = [local_date(t.to_pydatetime()) for t in frame["plan_at"]]
    return frame


def add_comment(engine: Engine, task: TaskInfo, text: str, writer: Writer, period: str = "") -> list[Problem]:
    """Store a support unit's (or lead unit's, or admin's) comment on a task; return problems."""
    where = Where(columns={"text": "留言"})
    text = _text(text)
    problems = []
    if not may_comment(writer, task):
        problems.append(where.problem("text", f"{writer.unit or writer.name}不是任务“{task.task_id}”的责任单位",
                                      "只有该任务的牵头或配合单位可以留言"))
    if not text:
        problems.append(where.problem("text", "留言是空的", "写下要说明的情况"))
    elif len(text) > MAX_TEXT or _CONTROL.search(text):
        problems.append(where.problem("text", f"留言超过 {MAX_TEXT} 字或含控制字符", "精简内容"))
    if problems:
        return problems
    with transaction(engine) as session:
        session.add(Comment(task_id=task.task_id, period=period, text=text, unit=writer.unit or "管理员",
                            written_by=writer.name, written_at=utc_now()))
    return []


def comments_frame(engine: Engine) -> pd.DataFrame:
    """Return every stored comment (oldest first)."""
    columns = ["id", "task_id", "period", "text", "unit", "written_by", "written_at"]
    with engine.connect() as connection:
        frame = pd.read_sql(select(*(getattr(Comment, c) for c in columns)).order_by(Comment.id), connection)
    return frame.reindex(columns=columns)


_DONE_MARK = re.compile(r"\s*[（(]\s*已完成\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})?\s*[)）]\s*$")


def parse_milestone_lines(text: str, year: int) -> tuple[list[tuple[date, str, date | None]], list[Problem]]:
    """Return milestones written one per line: a due date, then what is due.

    The date may be written as a date (2022-06-30) or as plans say it (6月底前, 三季度末, 年底前,
    10月15日前), in the task's `year` unless the phrase names one (loaders.progress.due_dates);
    “（已完成 2022-06-20）” at the end marks one done.
    """
    items, problems = [], []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        done, body = None, line
        mark = _DONE_MARK.search(line)
        if mark:
            body = line[:mark.start()]
            try:
                done = date.fromisoformat(re.sub(r"[/.]", "-", mark.group(1))) if mark.group(1) else None
            except ValueError:
                done = None
        found = due_date(body, year)
        if found is None:
            problems.append(Problem("时间节点", number, "时间", f"“{line.strip()[:40]}”开头没有可识别的时间",
                                    "每行以时间开头，如“2022-06-30 完成签约”或“6月底前完成上半年目标分解”"))
        elif not found[1]:
            problems.append(Problem("时间节点", number, "节点内容", f"“{line.strip()[:40]}”只有时间，没有节点内容",
                                    "在时间后面写明到期时要完成什么"))
        else:
            items.append((found[0], found[1], done))
    return items, problems


def plan_from_rows(rows: list[dict], pasted: str, year: int) -> tuple[list[tuple[date, str, date | None]],
                                                                    list[Problem]]:
    """Return the milestones of the plan table (rows of due_date, what, done_on) and of the pasted lines.

    A table row without a date or without content (a row left half-filled) is named, never dropped;
    an empty row is skipped.
    """
    items, problems = [], []
    for number, row in enumerate(rows, start=1):
        due, what, done = row.get("due_date"), _text(row.get("what")), row.get("done_on")
        due, done = _as_date(due), _as_date(done)
        if due is None and not what:
            continue
        if due is None:
            problems.append(Problem("时间节点表", number, "日期", f"“{what[:40]}”没有日期", "在“日期”列选一个日期"))
        elif not what:
            problems.append(Problem("时间节点表", number, "节点内容", f"{due} 的节点没有写内容", "写明到期时要完成什么"))
        else:
            items.append((due, what, done))
    more, more_problems = parse_milestone_lines(pasted, year)
    return items + more, problems + more_problems


def _as_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None
