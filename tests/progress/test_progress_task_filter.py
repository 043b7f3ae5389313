"""任务明细 by status (SQLite and PostgreSQL): the filter lists exactly the tasks task_status names, bound to the URL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.progress.db import URL_VARIABLE
from loaders.progress.reports import ReportDraft, Writer, milestones_frame, report, reports_frame, save_milestones
from loaders.progress.status import task_status
from loaders.select import with_status
from loaders.vocabulary import STATUS_LABELS
import ui.layout
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Writer("管理员", is_admin=True)
# 2022 tasks, reported for 2022-Q4 (the last due period of an annual task): 20 → 严重滞后, 80 → 滞后,
# 95 → 正常, 100 → 已完成; 01-05 reports 95 but has a milestone past due: 严重滞后
Q4_PERCENTS = {"2022-annual-01-01": 20, "2022-annual-01-02": 80, "2022-annual-01-03": 95,
               "2022-annual-01-04": 100, "2022-annual-01-05": 95}


@pytest.fixture
def seeded(engine, database_url, monkeypatch, book):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    problems = []
    for task_id, percent in Q4_PERCENTS.items():
        problems += report(engine, ReportDraft(task_id, "2022-Q4", percent, "进展"), book, ADMIN)
    problems += save_milestones(engine, book["2022-annual-01-05"], [(date(2022, 9, 30), "开工", None)], ADMIN)
    assert problems == []
    return engine


def open_tasks(**query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params.update({"year": "2022", **query})
    app.run()
    app.switch_page("pages/tasks.py").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def expected_labels(frames, engine, code: str) -> list[str]:
    tasks = frames.tasks[frames.tasks["year"] == 2022]
    status = task_status(tasks, reports_frame(engine), milestones_frame(engine), as_of=local_today())
    return tasks.loc[tasks["task_id"].isin(status.loc[status["status"] == code, "task_id"]), "label"].tolist()


@ON_SQLITE_ONLY
def test_picking_far_behind_lists_exactly_the_far_behind_tasks(seeded, frames, monkeypatch):
    app = open_tasks()
    assert "状态" in app.dataframe[0].value.columns
    app.multiselect(key="status").select("严重滞后").run()
    assert not app.exception, [e.message for e in app.exception]
    far_behind = expected_labels(frames, seeded, "far_behind")
    assert sorted(far_behind) == sorted(frames.tasks.set_index("task_id").loc[
        ["2022-annual-01-01", "2022-annual-01-05"], "label"])
    table = app.dataframe[0].value
    assert table["任务"].tolist() == far_behind and set(table["状态"]) == {"严重滞后"}
    assert any("状态：严重滞后" in t.value and f"共 {len(far_behind)} 项任务" in t.value for t in app.text)
    # two statuses: the union, in notice order
    app.multiselect(key="status").select("已完成").run()
    table = app.dataframe[0].value
    assert sorted(table["任务"]) == sorted(far_behind + expected_labels(frames, seeded, "done"))
    # phones (their browsers get cards instead of the table): each card names the status
    monkeypatch.setattr(ui.layout, "on_phone", lambda: True)
    app.run()
    titles = [e.label for e in app.expander if not e.label.startswith("筛选")]  # not the filter box
    assert titles and all(t.startswith(("【严重滞后】", "【已完成】")) for t in titles)


@ON_SQLITE_ONLY
def test_status_comes_from_the_url_and_bad_values_are_named(seeded, frames):
    app = open_tasks(status=["滞后", "很慢"])
    notices = " ".join(t.value for t in app.toast)
    assert "status=很慢" in notices and "status=滞后" not in notices
    assert app.multiselect(key="status").value == ["滞后"]
    assert app.dataframe[0].value["任务"].tolist() == expected_labels(frames, seeded, "behind")


@ON_SQLITE_ONLY
def test_an_empty_status_selection_says_which_filter_to_relax(seeded):
    app = open_tasks(status="已完成", q="不会出现的词")
    assert any("本页“状态”" in i.value for i in app.info)


@ON_SQLITE_ONLY
def test_no_status_column_before_anything_is_reported(engine, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = open_tasks()
    assert "状态" not in app.dataframe[0].value.columns
    assert app.multiselect(key="status").options == list(STATUS_LABELS.values())


def test_with_status_keeps_order_and_filters_by_code(frames):
    tasks = frames.tasks.head(4)
    status = task_status(tasks.iloc[::-1], reports_frame_empty(), as_of=date(2022, 12, 31))
    kept = with_status(tasks, status)
    assert kept["task_id"].tolist() == tasks["task_id"].tolist() and kept["status"].notna().all()
    assert with_status(tasks, status, ("done",)).empty


def reports_frame_empty():
    import pandas as pd

    return pd.DataFrame(columns=["id", "task_id", "period", "percent", "reported_on"])
