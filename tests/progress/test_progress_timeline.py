"""The task card's timeline on a seeded database (SQLite and PostgreSQL): milestones, every report, comments, status."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.progress.db import URL_VARIABLE
from loaders.progress.reports import (ReportDraft, Writer, add_comment, comments_frame, milestones_frame, report,
                                      reports_frame, save_milestones)
from loaders.progress.status import task_status
from loaders.progress.timeline import CORRECTION, ONLY, REPLACED, status_sentence, task_timeline
from loaders.vocabulary import STATUS_LABELS
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
TASK = "2022-five_year-02-05"  # lead 区科技局, support 区经信局 (鹿城区)
LEAD = Writer("科技局填报员", "鹿城区", "区科技局")
SUPPORT = Writer("经信局填报员", "鹿城区", "区经信局")


@pytest.fixture
def seeded(engine, book):
    """A plan of two milestones (one done), three reports (2022-Q2 corrected twice), one support comment."""
    problems = save_milestones(engine, book[TASK], [(date(2022, 6, 30), "完成方案编制", date(2022, 6, 20)),
                                                    (date(2023, 3, 31), "<b>平台挂牌</b>", None)], LEAD)
    for period, percent, progress in (("2022-Q2", 10, "第一稿"), ("2022-Q2", 15, "=更正后的进展"),
                                      ("2022-Q3", 30, "三季度进展"), ("2022-Q2", 12, "再次更正")):
        problems += report(engine, ReportDraft(TASK, period, percent, progress, "缺少用地", "加快报批",
                                               "请区领导协调", "建成 2 个平台"), book, LEAD)
    problems += add_comment(engine, book[TASK], "经信局已配合完成调研", SUPPORT, "2022-Q3")
    assert problems == []
    return engine


def test_every_report_is_listed_and_corrections_are_marked(seeded):
    timeline = task_timeline(TASK, reports_frame(seeded), milestones_frame(seeded), comments_frame(seeded),
                             local_today())
    rows = timeline.reports
    assert rows["period"].tolist() == ["2022-Q3", "2022-Q2", "2022-Q2", "2022-Q2"]
    assert rows["progress"].tolist() == ["三季度进展", "再次更正", "=更正后的进展", "第一稿"]
    assert rows["record"].tolist() == [ONLY, CORRECTION, f"{CORRECTION}，{REPLACED}", REPLACED]
    assert rows["percent_shown"].tolist() == ["30", "12", "15", "10"]
    first = rows.iloc[0]
    assert (first["problems"], first["next_steps"], first["coordination"], first["value_reached"]) == (
        "缺少用地", "加快报批", "请区领导协调", "建成 2 个平台")
    assert set(rows["unit"]) == {"区科技局"} and set(rows["reported_by"]) == {"科技局填报员"}
    assert rows["reported_at_local"].str.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$").all()


def test_milestones_are_done_open_or_overdue_as_of_a_date(seeded, book):
    reports, milestones, comments = reports_frame(seeded), milestones_frame(seeded), comments_frame(seeded)
    before = task_timeline(TASK, reports, milestones, comments, date(2023, 3, 1)).milestones
    assert before.empty  # the plan was recorded today: as of 2023 nothing was planned yet
    now = task_timeline(TASK, reports, milestones, comments, local_today())
    assert now.milestones["what"].tolist() == ["完成方案编制", "<b>平台挂牌</b>"]
    assert now.milestones["state"].tolist() == ["已完成（2022-06-20）", "逾期"]
    assert now.earlier_plans == 0
    assert save_milestones(seeded, book[TASK], [(date(2027, 6, 30), "项目验收", None)], LEAD) == []
    replanned = task_timeline(TASK, reports, milestones_frame(seeded), comments, local_today())
    assert replanned.milestones["what"].tolist() == ["项目验收"] and replanned.milestones["state"].tolist() == ["未完成"]
    assert replanned.earlier_plans == 1


def test_comments_and_an_empty_task(seeded):
    frames_ = (reports_frame(seeded), milestones_frame(seeded), comments_frame(seeded))
    timeline = task_timeline(TASK, *frames_, local_today())
    assert timeline.comments[["period", "text", "unit", "written_by"]].values.tolist() == [
        ["2022-Q3", "经信局已配合完成调研", "区经信局", "经信局填报员"]]
    nothing = task_timeline("2022-annual-01-01", *frames_, local_today())
    assert nothing.milestones.empty and nothing.reports.empty and nothing.comments.empty


def test_the_status_sentence_names_the_status_the_rule_gives(seeded, frames):
    task = frames.tasks[frames.tasks["task_id"] == TASK]
    status = task_status(task, reports_frame(seeded), milestones_frame(seeded), as_of=local_today())
    row = status.iloc[0].to_dict()
    sentence = status_sentence(row)
    assert row["status"] == "not_reported"  # nothing for the periods after 2022-Q3
    assert sentence.startswith(STATUS_LABELS["not_reported"]) and "最新填报完成 30%" in sentence
    assert row["overdue_periods"].split("、")[0] in sentence
    far = status_sentence({**row, "status": "far_behind", "expected_percent": 50.0, "latest_percent": 45.0,
                           "overdue_periods": ""})
    assert "落后 5 个百分点" in far and "时间节点已过期" in far
    done = status_sentence({**row, "status": "done", "latest_percent": 100.0})
    assert done.startswith("已完成") and "100%" in done


def open_task_card(task_id: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params.update({"year": "2022"})
    app.run()
    app.switch_page("pages/tasks.py").run()
    shown = app.dataframe[0].value  # the task table
    row = shown.index.get_loc(shown.index[shown["任务"] == _label(task_id)][0])
    app.session_state["task_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _label(task_id: str) -> str:
    from loaders.frames import load_frames

    tasks = load_frames().tasks
    return tasks.loc[tasks["task_id"] == task_id, "label"].iloc[0]


@ON_SQLITE_ONLY
def test_the_task_card_shows_the_reports_literally(seeded, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = open_task_card(TASK)
    texts = [t.value for t in app.text]
    assert any(t.startswith("未报送：") for t in texts)
    tables = [f.value for f in app.dataframe if "填报人" in f.value.columns]
    assert len(tables) == 1
    assert tables[0]["进展情况"].tolist() == ["三季度进展", "再次更正", "=更正后的进展", "第一稿"]
    assert tables[0]["记录"].tolist()[1] == "更正"
    nodes = next(f.value for f in app.dataframe if "节点内容" in f.value.columns)
    assert "<b>平台挂牌</b>" in nodes["节点内容"].tolist()
    assert any("经信局已配合完成调研" in str(f.value.values) for f in app.dataframe)


@ON_SQLITE_ONLY
def test_a_card_without_records_says_so(engine, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = open_task_card(TASK)
    texts = [t.value for t in app.text]
    assert "尚无时间节点。" in texts and "尚未填报。" in texts and "尚无留言。" in texts
