"""What the 落实进度 page shows, as pure functions of the frames and the task statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from loaders.frames import Frames
from loaders.progress.assessment import unit_assessment
from loaders.progress.checks import report_checks
from loaders.progress.reminders import unit_reminders
from loaders.progress.reports import Writer
from loaders.progress.reviews import pending_reports, returned_reports
from loaders.progress.status import STATUS_COLUMNS, STATUS_ORDER, coordination_items, reported_as_of, status_of
from loaders.vocabulary import REVIEW_LABELS, STATUS_LABELS

RED = ("far_behind",)


def shown_percent(values: pd.Series) -> pd.Series:
    """Return percents as text for tables: 45.5 → "45.5", nothing reported → "未填报"."""
    return values.map(lambda v: "未填报" if v is None or pd.isna(v) else f"{float(v):.2f}".rstrip("0").rstrip("."))


def status_board(tasks: pd.DataFrame, status: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Return one row per task: label, leaders, lead units, the status and the latest report's text."""
    board = tasks[["task_id", "label", "district", "year", "scope", "doc_no", "leaders", "lead_units", "content"]].merge(
        status, on="task_id", how="left")
    board["status_label"] = board["status"].map(STATUS_LABELS)
    board["latest_shown"] = shown_percent(board["latest_percent"])
    columns = ["task_id", "period", "progress", "problems", "next_steps", "coordination", "value_reached", "unit",
               "reported_by", "reported_on"] + (["review"] if "review" in latest.columns else [])
    if len(latest):
        board = board.merge(latest[columns].rename(columns={"period": "reported_period"}), on="task_id", how="left")
    else:
        board = board.assign(**{c if c != "period" else "reported_period": pd.NA for c in columns if c != "task_id"})
    if "review" in board.columns:  # the latest report's 审核: 未审核 reports count, marked as such
        board["review_label"] = board["review"].map(REVIEW_LABELS).fillna("")
    board["_order"] = board["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    return board.sort_values(["_order", "task_id"]).drop(columns="_order").reset_index(drop=True)


def counts_by(board: pd.DataFrame, assignments: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return tasks per status for each leader or unit (by = "leader" or "unit"), one column per status.

    assignments is task_leaders (by leader) or the lead rows of task_units (by unit);
    the rows are sorted with the most red tasks first.
    """
    pairs = assignments[["task_id", by]].drop_duplicates().merge(board[["task_id", "status"]], on="task_id")
    counts = pairs.pivot_table(index=by, columns="status", values="task_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=STATUS_ORDER, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index().sort_values(["far_behind", "behind", "not_reported", "total", by],
                                              ascending=[False, False, False, False, True])
    counts.columns.name = None
    return counts.reset_index(drop=True)


def red_list(board: pd.DataFrame) -> pd.DataFrame:
    """Return the tasks 严重滞后 (far behind or a milestone past due)."""
    return board[board["status"].isin(RED)].reset_index(drop=True)


def overdue_list(board: pd.DataFrame) -> pd.DataFrame:
    """Return the tasks with a due period not reported (status 未报送), most overdue periods first."""
    overdue = board[board["status"] == "not_reported"].copy()
    overdue["n_overdue"] = overdue["overdue_periods"].map(lambda text: len(text.split("、")) if text else 0)
    return overdue.sort_values(["n_overdue", "task_id"], ascending=[False, True]).reset_index(drop=True)


def chase_list(board: pd.DataFrame, lead_assignments: pd.DataFrame) -> pd.DataFrame:
    """Return the 催报 list: each lead unit with a task not reported for a due period, its tasks and periods."""
    overdue = board[board["status"] == "not_reported"][["task_id", "last_period", "overdue_periods"]]
    rows = lead_assignments[["task_id", "district", "unit"]].merge(overdue, on="task_id")
    if rows.empty:
        return pd.DataFrame(columns=["district", "unit", "tasks", "task_ids", "last_period"])
    grouped = rows.groupby(["district", "unit"], sort=False).agg(
        tasks=("task_id", "count"), task_ids=("task_id", lambda ids: "、".join(sorted(ids))),
        last_period=("last_period", "max"))
    return grouped.reset_index().sort_values(["tasks", "unit"], ascending=[False, True]).reset_index(drop=True)


def leader_coordination(items: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Return each leader's 需协调事项 with the task label (items from status.coordination_items)."""
    return items.merge(tasks[["task_id", "label"]], on="task_id", how="left")[
        ["leader", "label", "task_id", "period", "unit", "coordination", "reported_on"]]


@dataclass(frozen=True)
class Board:
    """Everything the 落实进度 page shows for one filter state and date."""

    board: pd.DataFrame
    by_leader: pd.DataFrame
    by_unit: pd.DataFrame
    red: pd.DataFrame
    overdue: pd.DataFrame
    chase: pd.DataFrame
    coordination: pd.DataFrame
    checks: pd.DataFrame  # reports flagged for a look (loaders.progress.checks)
    units: pd.DataFrame  # per lead unit: punctuality, lag, 需协调事项 (loaders.progress.assessment), for 考核
    pending: pd.DataFrame  # reports waiting for 审核 (the latest of each task and period), as of the date
    returned: pd.DataFrame  # reports 退回 and not yet reported again
    reminders: tuple  # 催报: a UnitReminder per lead unit with a due period not reported (loaders.progress.reminders)


def build_board(frames: Frames, reports: pd.DataFrame, milestones: pd.DataFrame, cadence: dict[str, str],
                as_of: date) -> Board:
    """Return the board of the selected tasks (frames) as of a date, from the stored reports, plans and cadences."""
    reports = reports[reports["task_id"].isin(frames.tasks["task_id"])]  # the selection's only: every step is faster
    known = reports[reports["reported_on"] <= as_of] if len(reports) else reports
    reported = reported_as_of(reports, as_of)  # once: the status, the latest texts and 需协调事项 all use it
    status = status_of(frames.tasks, reported, milestones, cadence)
    board = status_board(frames.tasks, status, reported.latest)
    lead = frames.task_units[(frames.task_units["role"] == "lead") & ~frames.task_units["is_placeholder"]]
    coordination = coordination_items(frames.tasks, frames.task_leaders, reported.latest)
    return Board(board, counts_by(board, frames.task_leaders, "leader"), counts_by(board, lead, "unit"),
                 red_list(board), overdue_list(board), chase_list(board, lead),
                 leader_coordination(coordination, frames.tasks), report_checks(board, reports, as_of),
                 unit_assessment(board, lead, reports, cadence, as_of),
                 _with_labels(pending_reports(known), frames.tasks), _with_labels(returned_reports(known), frames.tasks),
                 tuple(unit_reminders(board, lead, as_of)))


def _with_labels(reports: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    return reports.merge(tasks[["task_id", "label", "leaders", "lead_units"]], on="task_id", how="left")


def download_status(tasks: pd.DataFrame, board: Board | None, records) -> pd.DataFrame | None:
    """Return the task_status rows of exactly these tasks for the XLSX, taken from the board the page shows.

    board is the board of the page's filters and date (not computed again for the
    download); tasks are the rows on screen, a subset of it. records are the stored
    progress records, or None when the database cannot be read: then None, and the
    download has no status. Without a board nothing was reported or planned, so no
    task has a report: no rows, and the XLSX says so.
    """
    if records is None:
        return None
    if board is None:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    return board.board.loc[board.board["task_id"].isin(tasks["task_id"]), STATUS_COLUMNS].reset_index(drop=True)


def writer_tasks(frames: Frames, writer: Writer) -> tuple[set[str], set[str]]:
    """Return (the tasks a writer reports on, the tasks it may comment on as a support unit).

    An admin reports on every task and supports none; a unit's account reports on
    the tasks its unit leads in its district and comments on those it supports.
    """
    if writer.is_admin:
        return set(frames.tasks["task_id"]), set()
    units = frames.task_units
    mine = units[(units["district"] == writer.district) & (units["unit"] == writer.unit)]
    return set(mine.loc[mine["role"] == "lead", "task_id"]), set(mine.loc[mine["role"] == "support", "task_id"])
