"""What the 落实进度 page shows, as pure functions of the frames and the task statuses."""

from __future__ import annotations

import pandas as pd

from loaders.progress.status import STATUS_LABELS, STATUS_ORDER

RED = ("far_behind",)


def shown_percent(values: pd.Series) -> pd.Series:
    """Return percents as text for tables: 45.5 → "45.5", nothing reported → "未填报"."""
    return values.map(lambda v: "未填报" if v is None or pd.isna(v) else f"{float(v):.2f}".rstrip("0").rstrip("."))


def status_board(tasks: pd.DataFrame, status: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Return one row per task: label, leaders, lead units, the status and the latest report's text."""
    board = tasks[["task_id", "label", "district", "year", "scope", "leaders", "lead_units", "content"]].merge(
        status, on="task_id", how="left")
    board["status_label"] = board["status"].map(STATUS_LABELS)
    board["latest_shown"] = shown_percent(board["latest_percent"])
    columns = ["task_id", "period", "progress", "problems", "next_steps", "coordination", "value_reached", "unit",
               "reported_by", "reported_on"]
    if len(latest):
        board = board.merge(latest[columns].rename(columns={"period": "reported_period"}), on="task_id", how="left")
    else:
        board = board.assign(**{c if c != "period" else "reported_period": pd.NA for c in columns if c != "task_id"})
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
