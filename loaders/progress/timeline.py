"""One task's timeline for its card: milestones, every report (corrections marked), comments, its status in words.

Pure functions of the stored frames (reports_frame, milestones_frame, comments_frame
of loaders.progress.reports) and one task's status row (loaders.progress.status).
Every record is kept: a correction is a later report for the same period, and the
earlier one is shown too, marked as replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from loaders.clock import local_zone
from loaders.progress.board import shown_percent
from loaders.progress.periods import parse_period
from loaders.progress.status import StatusRules
from loaders.vocabulary import STATUS_LABELS

MILESTONE_COLUMNS = ["due_date", "what", "state", "unit", "recorded_by", "plan_on"]
REPORT_COLUMNS = ["period", "record", "percent_shown", "progress", "problems", "next_steps", "coordination",
                  "value_reached", "unit", "reported_by", "reported_at_local"]
COMMENT_COLUMNS = ["period", "text", "unit", "written_by", "written_at_local"]
TIMELINE_LABELS = {"due_date": "时间", "what": "节点内容", "state": "完成情况", "unit": "单位",
                   "recorded_by": "制定人", "plan_on": "计划制定日期", "period": "报告期",
                   "percent_shown": "完成进度（%）", "progress": "进展情况", "problems": "存在问题",
                   "next_steps": "下一步措施", "coordination": "需协调事项", "value_reached": "已完成值",
                   "reported_by": "填报人", "reported_at_local": "保存时间", "record": "记录",
                   "text": "留言", "written_by": "留言人", "written_at_local": "留言时间"}
CORRECTION, REPLACED, ONLY = "更正", "已被更正", "—"


@dataclass(frozen=True)
class TaskTimeline:
    """What the card shows of one task's progress (each frame empty when nothing is recorded)."""

    milestones: pd.DataFrame  # the current plan's 时间节点, by date
    earlier_plans: int  # plans replaced by a later one (kept in the database)
    reports: pd.DataFrame  # every report, newest period first, later records first
    comments: pd.DataFrame  # support units' comments, newest first


def local_time(stored: pd.Series) -> pd.Series:
    """Return stored UTC times as the district's local time (loaders.clock), 2022-10-03 09:30."""
    if not len(stored):
        return pd.Series([], dtype=object, index=stored.index)
    return pd.to_datetime(stored).dt.tz_localize("UTC").dt.tz_convert(local_zone()).dt.strftime("%Y-%m-%d %H:%M")


def milestone_state(due: date, done: date | None, as_of: date) -> str:
    """Return 已完成（date）, 逾期 (due before as_of and not done by then) or 未完成."""
    if done is not None and not pd.isna(done) and done <= as_of:
        return f"已完成（{done:%Y-%m-%d}）"
    return "逾期" if due < as_of else "未完成"


def task_milestones(milestones: pd.DataFrame, task_id: str, as_of: date) -> tuple[pd.DataFrame, int]:
    """Return the task's current plan (the latest by as_of), each 时间节点 with its state; and how many plans it replaced."""
    rows = milestones[(milestones["task_id"] == task_id) & (milestones["plan_on"] <= as_of)]
    if rows.empty:
        return pd.DataFrame(columns=MILESTONE_COLUMNS), 0
    current = rows[rows["plan_at"] == rows["plan_at"].max()].sort_values(["due_date", "id"])
    current = current.assign(state=[milestone_state(due, done, as_of)
                                    for due, done in zip(current["due_date"], current["done_on"])])
    return current[MILESTONE_COLUMNS].reset_index(drop=True), rows["plan_at"].nunique() - 1


def task_reports(reports: pd.DataFrame, task_id: str) -> pd.DataFrame:
    """Return every report of the task, newest period first; a later record for a period is 更正, earlier ones 已被更正."""
    rows = reports[reports["task_id"] == task_id]
    if rows.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    ends = rows["period"].map(lambda label: parse_period(label).end)
    rows = rows.assign(_end=ends).sort_values(["_end", "id"], ascending=False)
    by_period = rows.groupby("period", sort=False)["id"]
    first, last = rows["id"] == by_period.transform("min"), rows["id"] == by_period.transform("max")
    record = [ONLY if is_first and is_last else REPLACED if is_first else CORRECTION if is_last
              else f"{CORRECTION}，{REPLACED}" for is_first, is_last in zip(first, last)]
    rows = rows.assign(percent_shown=shown_percent(rows["percent"]),
                       reported_at_local=local_time(rows["reported_at"]), record=record)
    return rows[REPORT_COLUMNS].reset_index(drop=True)


def task_comments(comments: pd.DataFrame, task_id: str) -> pd.DataFrame:
    """Return the comments on the task, newest first."""
    rows = comments[comments["task_id"] == task_id].sort_values("id", ascending=False)
    return rows.assign(written_at_local=local_time(rows["written_at"]))[COMMENT_COLUMNS].reset_index(drop=True)


def task_timeline(task_id: str, reports: pd.DataFrame, milestones: pd.DataFrame, comments: pd.DataFrame,
                  as_of: date) -> TaskTimeline:
    """Return the task's timeline as of a date: current milestones, every report, comments."""
    plan, earlier = task_milestones(milestones, task_id, as_of)
    return TaskTimeline(plan, earlier, task_reports(reports, task_id), task_comments(comments, task_id))


def status_sentence(status: dict, rules: StatusRules = StatusRules()) -> str:
    """Return a task's status against 序时进度 in words, from one row of task_status."""
    code, expected, latest = status["status"], status["expected_percent"], status["latest_percent"]
    word = STATUS_LABELS[code]
    as_of = status["as_of"]
    if code == "not_started":
        return f"{word}：截至 {as_of} 还没有报告期过了填报期限。"
    reported = "尚未填报" if latest is None or pd.isna(latest) else f"最新填报完成 {_percent(latest)}%"
    if code == "done":
        return f"{word}：{reported}（截至 {as_of}）。"
    sentence = f"{word}：截至 {as_of}，序时进度 {_percent(expected)}%（至 {status['last_period']}），{reported}"
    if latest is not None and not pd.isna(latest):
        gap = round(float(expected) - float(latest), 2)
        sentence += f"，落后 {_percent(gap)} 个百分点" if gap > 0 else "，不落后于序时进度"
    if status["overdue_periods"]:
        overdue = status["overdue_periods"].split("、")
        sentence += f"；逾期未报 {len(overdue)} 期：{status['overdue_periods']}"
    if code == "far_behind" and (latest is None or pd.isna(latest)
                                 or round(float(expected) - float(latest), 2) <= rules.far_behind_above):
        sentence += "；有时间节点已过期且未完成"
    return sentence + "。"


def _percent(value: float) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")
