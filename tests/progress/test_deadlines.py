"""A task's 完成时限 (tasks.csv `deadline`, read from the notice): 序时进度 runs to it, and once it has passed
without a report of 100% the task is 严重滞后. Tasks without one keep the whole year."""

from __future__ import annotations

from datetime import date

import pandas as pd

from loaders.progress.status import task_status


def tasks(deadline: str) -> pd.DataFrame:
    return pd.DataFrame({"task_id": ["a", "b"], "year": [2024, 2024], "scope": ["annual", "annual"],
                         "doc_no": ["d", "d"], "deadline": [deadline, ""]})


def reports(percent: float, period: str, on: date) -> pd.DataFrame:
    return pd.DataFrame({"task_id": ["a", "b"], "period": [period, period], "percent": [percent, percent],
                         "reported_on": [on, on], "id": [1, 2]})


def test_expected_progress_runs_to_the_deadline_not_to_the_end_of_the_year():
    status = task_status(tasks("2024-06-30"), reports(40, "2024-Q1", date(2024, 4, 5)), as_of=date(2024, 4, 20))
    a, b = status.set_index("task_id").loc[["a", "b"]].itertuples()
    assert a.expected_percent == round(100 * 91 / 182, 2)  # 1 January to 31 March of 1 January to 30 June
    assert b.expected_percent == round(100 * 91 / 366, 2)  # the whole (leap) year
    assert a.status == "behind" and b.status == "on_track"  # 40% against 50% and against 24.86%


def test_past_the_deadline_and_not_done_is_far_behind_done_is_done():
    late = task_status(tasks("2024-06-30"), reports(90, "2024-Q2", date(2024, 7, 5)), as_of=date(2024, 7, 10))
    assert late.set_index("task_id").loc["a", "status"] == "far_behind"
    done = task_status(tasks("2024-06-30"), reports(100, "2024-Q2", date(2024, 7, 5)), as_of=date(2024, 7, 10))
    assert done.set_index("task_id").loc["a", "status"] == "done"


def test_tasks_without_the_column_are_read_as_before():
    without = tasks("").drop(columns="deadline")
    status = task_status(without, reports(40, "2024-Q1", date(2024, 4, 5)), as_of=date(2024, 4, 20))
    assert status["expected_percent"].tolist() == [round(100 * 91 / 366, 2)] * 2
