"""The 落实进度 page's lists as pure functions: counts per leader/unit, red, overdue, 催报, 需协调事项."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from loaders.progress import board as boards
from loaders.progress.status import coordination_items, latest_reports, task_status

AS_OF = date(2022, 7, 6)  # Q2 is due


def reports(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["task_id", "period", "percent", "coordination"])
    frame["id"] = range(1, len(frame) + 1)
    frame["reported_on"] = date(2022, 7, 1)
    for column in ("progress", "problems", "next_steps", "value_reached", "reported_by", "unit"):
        frame[column] = ""
    return frame


def test_board_lists_and_counts(frames):
    tasks = frames.tasks[frames.tasks["table_id"] == "2022-annual"]
    ids = tasks["task_id"].tolist()
    stored = reports((ids[0], "2022-Q2", 10, "请协调用地"), (ids[1], "2022-Q2", 45, ""), (ids[2], "2022-Q2", 100, ""))
    status = task_status(tasks, stored, as_of=AS_OF)
    board = boards.status_board(tasks, status, latest_reports(stored, AS_OF))
    assert board.set_index("task_id").loc[ids[0], "status"] == "far_behind"
    assert board.set_index("task_id").loc[ids[3], "latest_shown"] == "未填报"
    assert list(boards.red_list(board)["task_id"]) == [ids[0]]
    overdue = boards.overdue_list(board)
    assert len(overdue) == len(tasks) - 3 and set(overdue["status"]) == {"not_reported"}

    leaders = frames.task_leaders[frames.task_leaders["task_id"].isin(ids)]
    by_leader = boards.counts_by(board, leaders, "leader")
    assert by_leader["total"].sum() == len(leaders[["task_id", "leader"]].drop_duplicates())
    assert by_leader.iloc[0]["far_behind"] == 1  # the leader with the red task comes first

    lead = frames.task_units[frames.task_units["task_id"].isin(ids) & (frames.task_units["role"] == "lead")]
    chase = boards.chase_list(board, lead)
    expected_units = set(lead[lead["task_id"].isin(overdue["task_id"])]["unit"])
    assert set(chase["unit"]) == expected_units
    assert chase["tasks"].sum() == len(lead[lead["task_id"].isin(overdue["task_id"])])

    items = coordination_items(tasks, frames.task_leaders, latest_reports(stored, AS_OF))
    assert set(items["coordination"]) == {"请协调用地"}
    assert set(items["leader"]) == set(leaders.loc[leaders["task_id"] == ids[0], "leader"])


def test_status_texts_and_coordination_all_come_from_the_latest_report_as_of(frames):
    """Latest period first, then the latest row; what was saved after the as-of date does not count."""
    tasks = frames.tasks[frames.tasks["table_id"] == "2022-annual"].head(3)
    corrected, late_earlier, after = tasks["task_id"].tolist()
    stored = reports((corrected, "2022-Q2", 30, "旧的协调事项"), (late_earlier, "2022-Q2", 60, "请协调用地"),
                     (corrected, "2022-Q2", 50, ""), (late_earlier, "2022-Q1", 20, "一季度事项"),
                     (after, "2022-Q2", 90, "截至日期后才保存"))
    stored["progress"] = ["更正前", "二季度", "更正后", "补报一季度", "晚了"]
    stored.loc[4, "reported_on"] = AS_OF + timedelta(days=1)
    status = task_status(tasks, stored, as_of=AS_OF).set_index("task_id")
    board = boards.status_board(tasks, status.reset_index(), latest_reports(stored, AS_OF)).set_index("task_id")
    assert status.loc[corrected, "latest_percent"] == 50 and status.loc[late_earlier, "latest_percent"] == 60
    assert pd.isna(status.loc[after, "latest_percent"]) and status.loc[after, "status"] == "not_reported"
    assert board.loc[corrected, "progress"] == "更正后" and board.loc[late_earlier, "progress"] == "二季度"
    assert board.loc[late_earlier, "reported_period"] == "2022-Q2" and pd.isna(board.loc[after, "progress"])
    assert board.loc[corrected, "latest_shown"] == "50"
    items = coordination_items(tasks, frames.task_leaders, latest_reports(stored, AS_OF))
    assert set(items["task_id"]) == {late_earlier} and set(items["coordination"]) == {"请协调用地"}
    assert set(items["period"]) == {"2022-Q2"}
