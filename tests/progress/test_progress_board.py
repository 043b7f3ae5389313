"""The 落实进度 page's lists as pure functions: counts per leader/unit, red, overdue, 催报, 需协调事项."""

from __future__ import annotations

from datetime import date

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

    items = coordination_items(tasks, frames.task_leaders, stored, AS_OF)
    assert set(items["coordination"]) == {"请协调用地"}
    assert set(items["leader"]) == set(leaders.loc[leaders["task_id"] == ids[0], "leader"])
