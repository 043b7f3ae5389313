"""Each task's status against 序时进度 as of a date: a pure function of the task frame and what was stored.

Rule (README “落实进度”): the expected progress is the elapsed share of the task's span
(the notice year; five years from it for five_year tasks) at the end of the last period
whose reporting deadline (period end + deadline_days) has passed. Then

    done          已完成      the latest report says 100
    not_started   未到填报期   no deadline has passed yet
    not_reported  未报送      nothing reported for the last due period (or a later one)
    far_behind    严重滞后    more than far_behind_above points behind, or a milestone or the task's 完成时限 past due and not done
    behind        滞后        behind_from … far_behind_above points behind
    on_track      正常        less than behind_from points behind

Only what was recorded by the as-of date counts (reported_on ≤ as_of), so a
meeting can look at the board as it stood at the end of a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from loaders.clock import local_today
from loaders.progress.periods import DEFAULT_CADENCE, Period, elapsed_percent, periods, span
from loaders.progress.reviews import counting

STATUS_ORDER = ["far_behind", "behind", "not_reported", "on_track", "done", "not_started"]
STATUS_COLUMNS = ["task_id", "as_of", "expected_percent", "latest_percent", "status", "last_period",
                  "overdue_periods"]


@dataclass(frozen=True)
class StatusRules:
    """The settings of the rule, with the defaults the README states."""

    behind_from: float = 10.0  # points behind 序时进度 from which a task is 滞后
    far_behind_above: float = 30.0  # more points behind than this is 严重滞后
    deadline_days: int = 5  # a period's report is due this many days after the period ends


def light(expected: float, percent: float, rules: StatusRules = StatusRules()) -> str:
    """Return done, on_track, behind or far_behind for a reported percent against the expected one."""
    if percent >= 100:
        return "done"
    gap = round(expected - percent, 2)
    if gap < rules.behind_from:
        return "on_track"
    if gap <= rules.far_behind_above:
        return "behind"
    return "far_behind"


def last_due_period(task_periods: list[Period], as_of: date, rules: StatusRules) -> tuple[Period | None, list[Period]]:
    """Return the last period whose deadline has passed by as_of (None if none) and all such periods."""
    due = [p for p in task_periods if p.deadline(rules.deadline_days) < as_of]
    return (due[-1] if due else None), due


@dataclass(frozen=True)
class Reported:
    """What the lead units had reported by a date, worked out once for the status, the board and 需协调事项.

    latest: each task's latest report as of the date (the latest period, then the latest
    row: a correction is a later row for the same period), with every report column;
    percent_of: task_id → (rank of that period, its percent); periods_of: task_id → the
    periods it reported.
    """

    as_of: date
    latest: pd.DataFrame
    percent_of: dict[str, tuple[int, float]]
    periods_of: dict[str, set[str]]


def reported_as_of(reports: pd.DataFrame, as_of: date) -> Reported:
    """Return each task's latest report and the periods it reported, counting only reports saved by as_of.

    Reports read with their reviews (loaders.progress.reviews.with_reviews) count as 审核 allows.
    """
    if not len(reports):
        return Reported(as_of, reports.copy(), {}, {})
    reports = counting(reports, as_of)  # 退回 reports never count; unreviewed ones as the setting says
    known = reports[reports["reported_on"] <= as_of]
    ranks = {label: period_rank(label) for label in known["period"].unique()}  # a few labels, many rows
    ranked = known.assign(_rank=known["period"].map(ranks)).sort_values(["_rank", "id"])
    latest = ranked.groupby("task_id", sort=False).tail(1)
    percent_of = dict(zip(latest["task_id"].tolist(), zip(latest["_rank"].tolist(),
                                                           latest["percent"].astype(float).tolist())))
    periods_of: dict[str, set[str]] = {}
    for task_id, label in zip(known["task_id"].tolist(), known["period"].tolist()):  # lists: fast to iterate
        periods_of.setdefault(task_id, set()).add(label)
    return Reported(as_of, latest.drop(columns="_rank"), percent_of, periods_of)


def latest_reports(reports: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Return each task's latest report as of a date (latest period, then latest row)."""
    return reported_as_of(reports, as_of).latest


def task_status(tasks: pd.DataFrame, reports: pd.DataFrame, milestones: pd.DataFrame | None = None,
                cadences: dict[str, str] | None = None, as_of: date | None = None,
                rules: StatusRules = StatusRules()) -> pd.DataFrame:
    """Return one row per task: task_id, as_of, expected_percent, latest_percent, status, last_period, overdue_periods.

    tasks needs task_id, year, scope, doc_no (and deadline, 年-月-日 or "", when the notice gives a 完成时限);
    reports task_id, period, percent,
    reported_on (local date), id; milestones task_id, due_date, done_on, plan_on, plan_at.
    """
    return status_of(tasks, reported_as_of(reports, as_of or local_today()), milestones, cadences, rules)


def status_of(tasks: pd.DataFrame, reported: Reported, milestones: pd.DataFrame | None = None,
              cadences: dict[str, str] | None = None, rules: StatusRules = StatusRules()) -> pd.DataFrame:
    """Return task_status's rows from what was reported as of reported.as_of (from reported_as_of)."""
    as_of = reported.as_of
    cadences = cadences or {}
    late_milestones = _late_milestones(milestones, as_of)

    period_cache: dict[tuple[int, str, str], tuple] = {}
    rows = []
    deadlines = tasks["deadline"].tolist() if "deadline" in tasks else [""] * len(tasks)
    for task_id, year, scope, doc_no, deadline in zip(*(tasks[c].tolist() for c in ("task_id", "year", "scope", "doc_no")),
                                                       deadlines):
        key = (int(year), scope, cadences.get(doc_no, DEFAULT_CADENCE))
        if key not in period_cache:
            last, due = last_due_period(periods(*key), as_of, rules)
            first_day, last_day = span(int(year), scope)
            period_cache[key] = (last, [p.label for p in due], period_rank(last.label) if last else 0,
                                 elapsed_percent(first_day, last_day, last.end) if last else 0.0, first_day)
        last, due, last_rank, expected, first_day = period_cache[key]
        ends = date.fromisoformat(deadline) if deadline else None
        if ends is not None:  # the notice's 完成时限: 序时进度 runs to it, not to the end of the span
            expected = elapsed_percent(first_day, ends, last.end) if last else 0.0

        latest = reported.percent_of.get(task_id)  # (period rank, percent)
        latest_percent = latest[1] if latest else None
        done = latest_percent is not None and latest_percent >= 100
        periods_reported = reported.periods_of.get(task_id, ())
        overdue = [] if done else [label for label in due if label not in periods_reported]

        if done:
            status = "done"
        elif ends is not None and ends < as_of:
            status = "far_behind"  # past its 完成时限 and not reported done
        elif last is None:
            status = "far_behind" if task_id in late_milestones else "not_started"
        elif latest is None or latest[0] < last_rank:
            status = "not_reported"
        elif task_id in late_milestones:
            status = "far_behind"
        else:
            status = light(expected, latest_percent, rules)
        rows.append((task_id, as_of.isoformat(), expected, latest_percent, status,
                     last.label if last else "", "、".join(overdue)))
    frame = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    frame["latest_percent"] = frame["latest_percent"].astype("Float64")
    return frame


def period_rank(label: str) -> int:
    """Return an integer that orders period labels: year × 100 + month of the period's end."""
    year, part = _order(label)
    return year * 100 + part


def _order(label: str) -> tuple[int, int]:
    """Return a sort key for a period label: (year, month of its end)."""
    year, part = label.split("-")
    return int(year), (3 * int(part[1:]) if part.startswith("Q") else int(part))


def _late_milestones(milestones: pd.DataFrame | None, as_of: date) -> set[str]:
    """Return the tasks whose latest plan (as of) has a milestone due before as_of and not done by then."""
    if milestones is None or not len(milestones):
        return set()
    known = milestones[milestones["plan_on"] <= as_of]
    if not len(known):
        return set()
    latest_plan = known.groupby("task_id")["plan_at"].transform("max")
    current = known[known["plan_at"] == latest_plan]
    late = current[(current["due_date"] < as_of)
                   & current["done_on"].map(lambda d: d is None or pd.isna(d) or d > as_of)]
    return set(late["task_id"])


def coordination_items(tasks: pd.DataFrame, task_leaders: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Return each leader's 需协调事项: the coordination text of each task's latest report, by leader.

    latest: reported_as_of(...).latest (or latest_reports), each task's latest report as of the date.
    """
    columns = ["leader", "task_id", "period", "unit", "coordination", "reported_on"]
    if not len(latest):
        return pd.DataFrame(columns=columns)
    latest = latest[latest["task_id"].isin(tasks["task_id"])]
    latest = latest[latest["coordination"].str.strip() != ""]
    items = latest.merge(task_leaders[["task_id", "leader"]], on="task_id", how="left")
    items["leader"] = items["leader"].fillna("未注明")
    return items.sort_values(["leader", "task_id"])[columns].reset_index(drop=True)


def rule_text(rules: StatusRules = StatusRules()) -> str:
    """Return the status rule in Chinese, with the thresholds and deadline in force (for 数据说明 and 落实进度)."""
    return (
        "任务期限：年度重点工作和民生实事为通知当年全年；今后五年重点工作为通知当年起的五年。\n"
        f"填报期限：报告期结束后 {rules.deadline_days} 天；期限当天不算逾期，次日起计。\n"
        "序时进度：截至日期之前最后一个已过填报期限的报告期结束时，任务期限已过去的天数占比。\n"
        "已完成：最新一次填报为 100%。\n"
        "未到填报期：还没有报告期过了填报期限。\n"
        "未报送：最后一个已过期限的报告期没有填报。\n"
        f"严重滞后：落后序时进度超过 {rules.far_behind_above:g} 个百分点，或有时间节点已过期且未完成。\n"
        f"滞后：落后 {rules.behind_from:g} 至 {rules.far_behind_above:g} 个百分点。\n"
        f"正常：落后不到 {rules.behind_from:g} 个百分点。\n"
        "同一报告期多次填报时以最后一条为准；只计截至日期当天及以前保存的填报。"
    )
