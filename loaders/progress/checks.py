"""Checks of what a report says against its own numbers and against the unit's earlier reports.

Three things the office looks for by hand before it trusts a ledger:
- words that claim completion or progress on schedule (完成, 顺利, 按序时…) in a report whose
  percent is behind 序时进度 by more than the 滞后 threshold;
- a 进展情况 that repeats the previous period's word for word;
- a 需协调事项 that has stood unchanged for more than N days (its age, per leader).
A check flags a report for a look; it changes no status.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from loaders.progress.status import StatusRules, period_rank

CLAIM_BEHIND, REPEATED, COORDINATION_AGING = "claim_behind", "repeated", "coordination_aging"
CHECK_LABELS = {CLAIM_BEHIND: "称完成或按序时，进度却落后", REPEATED: "进展情况与上期相同",
                COORDINATION_AGING: "需协调事项久未解决"}
AGING_DAYS = 30  # a 需协调事项 unchanged for longer than this is flagged
COLUMNS = ["task_id", "label", "leaders", "lead_units", "check", "check_label", "period", "detail"]

# a claim of completion or of progress on schedule; not when a negation stands just before it (未完成,
# 尚未按序时推进, 不能如期完成)
_CLAIM = re.compile(r"全面完成|已完成|完成了|如期完成|顺利推进|进展顺利|顺利|按序时|序时推进|按计划推进|按期推进|如期推进")
_NEGATION = re.compile(r"[未没不难尚无]")


def claim_in(text: str) -> str | None:
    """Return the first claim of completion or of progress on schedule in a text, unless it is negated."""
    for found in _CLAIM.finditer(text):
        if not _NEGATION.search(text[max(0, found.start() - 3):found.start()]):
            return found.group(0)
    return None


def report_checks(board: pd.DataFrame, reports: pd.DataFrame, as_of: date, rules: StatusRules = StatusRules(),
                  aging_days: int = AGING_DAYS) -> pd.DataFrame:
    """Return one row per flagged report: the task, which check, the period and what was found.

    board: the status board of the selected tasks (loaders.progress.board.status_board), as of as_of;
    reports: every stored report (only those reported by as_of count).
    """
    known = reports[(reports["reported_on"] <= as_of) & reports["task_id"].isin(board["task_id"])]
    if board.empty or known.empty:
        return pd.DataFrame(columns=COLUMNS)
    # the report that counts for each period of each task: the latest row (a correction replaces the first)
    ranked = known.assign(_rank=known["period"].map({p: period_rank(p) for p in known["period"].unique()}))
    per_period = ranked.sort_values(["task_id", "_rank", "id"]).groupby(["task_id", "period"], sort=False).tail(1)
    history = {task_id: rows for task_id, rows in per_period.groupby("task_id", sort=False)}
    found = []
    for task in board.itertuples(index=False):
        rows = history.get(task.task_id)
        if rows is None:
            continue
        found += [(task, *flag) for flag in _flags(task, rows, as_of, rules, aging_days)]
    frame = pd.DataFrame([{"task_id": task.task_id, "label": task.label, "leaders": task.leaders,
                           "lead_units": task.lead_units, "check": check, "check_label": CHECK_LABELS[check],
                           "period": period, "detail": detail} for task, check, period, detail in found],
                         columns=COLUMNS)
    return frame.sort_values(["check", "label"], kind="stable").reset_index(drop=True)


def _flags(task, rows: pd.DataFrame, as_of: date, rules: StatusRules, aging_days: int) -> list[tuple[str, str, str]]:
    flags = []
    latest = rows.iloc[-1]
    progress = str(latest["progress"] or "").strip()
    behind = _points_behind(task.expected_percent, latest["percent"])
    claim = claim_in(progress)
    if claim and behind is not None and behind > rules.behind_from:
        flags.append((CLAIM_BEHIND, latest["period"],
                      f"进展情况写“{claim}”，完成进度 {_number(latest['percent'])}%，"
                      f"序时进度 {_number(task.expected_percent)}%，落后 {_number(behind)} 个百分点"))
    if len(rows) > 1:
        previous = rows.iloc[-2]
        if progress and progress == str(previous["progress"] or "").strip():
            flags.append((REPEATED, latest["period"], f"{latest['period']} 的进展情况与 {previous['period']} 一字不差"))
    coordination = str(latest["coordination"] or "").strip()
    if coordination:
        raised_on = latest["reported_on"]
        for _, earlier in rows.iloc[:-1][::-1].iterrows():  # back through the periods while the same text stands
            if str(earlier["coordination"] or "").strip() != coordination:
                break
            raised_on = earlier["reported_on"]
        age = (as_of - raised_on).days
        if age > aging_days:
            flags.append((COORDINATION_AGING, latest["period"],
                          f"自 {raised_on:%Y-%m-%d} 提出，已 {age} 天：{coordination[:60]}"))
    return flags


def _points_behind(expected, percent) -> float | None:
    if expected is None or percent is None or pd.isna(expected) or pd.isna(percent):
        return None
    return float(expected) - float(percent)


def _number(value) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def coordination_age_by_leader(checks: pd.DataFrame) -> pd.DataFrame:
    """Return per leader the 需协调事项 flagged as standing too long (a task with two leaders counts for both)."""
    aging = checks[checks["check"] == COORDINATION_AGING]
    rows = [(leader, task_id) for leaders, task_id in zip(aging["leaders"], aging["task_id"])
            for leader in (str(leaders).split("、") if leaders else ["未注明"])]
    frame = pd.DataFrame(rows, columns=["leader", "task_id"])
    return frame.groupby("leader").size().rename("tasks").reset_index().sort_values(
        ["tasks", "leader"], ascending=[False, True]).reset_index(drop=True)
