"""The 落实进度 and 填报 screens on a seeded database (SQLite and PostgreSQL): counts, literal text, login, saving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.progress.accounts import add_account
from loaders.progress.board import shown_percent
from loaders.progress.db import URL_VARIABLE
from loaders.progress.reports import ReportDraft, report, reports_frame
from loaders.progress.status import task_status
from loaders.vocabulary import STATUS_LABELS
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
HTML = "<script>alert(1)</script>请区领导协调用地"


@pytest.fixture
def seeded(engine, database_url, monkeypatch, book, lead_of):
    """A database with a unit account and three reports (one far behind, one with 需协调事项 in HTML)."""
    monkeypatch.setenv(URL_VARIABLE, database_url)
    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    for task_id, period, percent, coordination in (("2022-annual-01-01", "2022-Q3", 70, HTML),
                                                   ("2022-annual-01-03", "2022-Q3", 20, ""),
                                                   ("2022-annual-01-02", "2022-Q3", 100, "")):
        report(engine, ReportDraft(task_id, period, percent, coordination=coordination), book, lead_of(task_id),
               today=date(2022, 10, 3))
    return engine


def open_page(page: str, **query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params.update(query)
    app.run()
    app.switch_page(page).run()
    return app


@ON_SQLITE_ONLY
def test_progress_page_counts_match_the_rule(seeded, frames):
    app = open_page("pages/progress.py", year="2022")
    assert not app.exception, [e.message for e in app.exception]
    app.date_input(key="progress_as_of").set_value(local_today()).run()
    assert not app.exception, [e.message for e in app.exception]
    tasks = frames.tasks[frames.tasks["year"] == 2022]
    status = task_status(tasks, reports_frame(seeded), as_of=local_today())
    shown = {metric.label: metric.value for metric in app.metric}
    for code, label in STATUS_LABELS.items():
        assert shown[label] == f"{(status['status'] == code).sum()} 项"
    app.session_state["progress_list"] = "各位领导的需协调事项"  # a click on that list (only the open one is drawn)
    app.run()
    frames_shown = [element.value for element in app.dataframe]
    coordination = [f for f in frames_shown if "需协调事项" in f.columns]
    assert any(HTML in set(f["需协调事项"]) for f in coordination)
    assert not app.error
    # picking a leader lists that leader's tasks with their status
    leader = frames.task_leaders[frames.task_leaders["task_id"] == "2022-annual-01-01"]["leader"].iloc[0]
    before = [tuple(f.value["任务"]) for f in app.dataframe if "任务" in f.value.columns]
    app.selectbox(key="progress_leaders_pick").select(leader).run()
    assert not app.exception, [e.message for e in app.exception]
    after = [tuple(f.value["任务"]) for f in app.dataframe if "任务" in f.value.columns]
    new = [rows for rows in after if rows not in before]
    expected = frames.tasks[frames.tasks["task_id"].isin(
        frames.task_leaders.loc[frames.task_leaders["leader"] == leader, "task_id"]) & (frames.tasks["year"] == 2022)]
    assert len(new) == 1 and sorted(new[0]) == sorted(expected["label"])


@ON_SQLITE_ONLY
def test_report_page_needs_a_login_and_limits_failures_across_sessions(seeded):
    for _ in range(5):
        app = open_page("pages/report.py")  # a new session each time
        app.text_input(key="progress_login").input("fgj")
        app.text_input(key="progress_password").input("wrong password")
        app.button[0].click().run()
        assert not app.exception
    app = open_page("pages/report.py")
    app.text_input(key="progress_login").input("fgj")
    app.text_input(key="progress_password").input(PASSWORD)
    app.button[0].click().run()
    assert any("次数过多" in e.value for e in app.error)
    assert not app.selectbox  # still no form


@ON_SQLITE_ONLY
def test_report_page_saves_a_report_for_the_units_task(engine, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    app = open_page("pages/report.py")
    app.text_input(key="progress_login").input("fgj")
    app.text_input(key="progress_password").input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception, [e.message for e in app.exception]
    task_id = app.selectbox(key="report_task").value
    app.number_input(key=f"report_percent_{task_id}").set_value(40.0)
    app.text_area(key=f"report_progress_{task_id}").input("<b>按原样</b>")
    next(b for b in app.button if b.label == "保存填报").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error] + [t.value for t in app.text]
    stored = reports_frame(engine)
    assert list(stored["task_id"]) == [task_id] and stored.iloc[0]["progress"] == "<b>按原样</b>"
    assert stored.iloc[0]["unit"] == "区发改局" and stored.iloc[0]["reported_by"] == "fgj"
    assert any("已保存" in s.value for s in app.success)


@ON_SQLITE_ONLY
def test_report_page_lists_and_prefills_the_latest_report_of_a_task(seeded, book, lead_of, frames):
    task_id = "2022-annual-01-01"  # seeded: 2022-Q3 70%; then a correction of 2022-Q3 and an earlier period
    for period, percent, progress in (("2022-Q3", 75, "更正后"), ("2022-Q2", 50, "较早的报告期，后来才填")):
        assert not report(seeded, ReportDraft(task_id, period, percent, progress=progress), book, lead_of(task_id),
                          today=date(2022, 10, 4))
    app = open_page("pages/report.py")
    app.text_input(key="progress_login").input("fgj")
    app.text_input(key="progress_password").input(PASSWORD)
    app.button[0].click().run()
    app.selectbox(key="report_task").select(task_id).run()
    assert not app.exception, [e.message for e in app.exception]
    # the latest period, then the latest row of it: the form starts from the correction
    assert app.number_input(key=f"report_percent_{task_id}").value == 75.0
    assert app.text_area(key=f"report_progress_{task_id}").value == "更正后"
    [listing] = [t.value for t in app.dataframe if "完成进度（%）" in t.value.columns and "状态" in t.value.columns]
    label = frames.tasks.set_index("task_id").loc[task_id, "label"]
    row = listing.set_index("任务").loc[label]
    status = task_status(frames.tasks[frames.tasks["task_id"] == task_id], reports_frame(seeded),
                         as_of=local_today()).iloc[0]
    assert float(status["latest_percent"]) == 75.0
    assert str(row["完成进度（%）"]) == str(shown_percent(pd.Series([75.0])).iloc[0])
    assert row["状态"] == STATUS_LABELS[status["status"]]


def test_the_database_url_can_come_from_secrets(tmp_path, monkeypatch, book, lead_of):
    """Without WORK_REPORT_DATABASE_URL the app uses [database] url from secrets.toml (created on first start)."""
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    path = tmp_path / "from_secrets.sqlite3"
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.secrets["database"] = {"url": f"sqlite:///{path}"}
    app.query_params.update({"year": "2022"})
    app.run()
    app.switch_page("pages/progress.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert path.exists()
    assert {m.label: m.value for m in app.metric}["已完成"] == "0 项"


def test_every_page_says_when_the_latest_progress_report_came_in(seeded):
    latest = reports_frame(seeded).iloc[-1]
    saved = latest["reported_at"].tz_localize("UTC").tz_convert("Asia/Shanghai")
    expected = f"进度填报更新于 {saved:%Y-%m-%d %H:%M}（{latest['unit']}）"
    for page in ("pages/overview.py", "pages/tasks.py", "pages/progress.py"):
        app = open_page(page, year="2022")
        stamps = [c.value.replace("\\", "") for c in app.sidebar.caption if c.value.startswith("进度填报")]
        assert stamps == [expected], page


def test_before_the_first_report_the_sidebar_has_no_progress_stamp(engine, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = open_page("pages/overview.py", year="2022")
    assert not [c for c in app.sidebar.caption if "进度填报" in c.value]
    assert any(c.value.startswith("数据") for c in app.sidebar.caption)  # the curated data's stamp stays
