"""Saving reports on SQLite and PostgreSQL: append-only, corrections, who may write, bad input refused."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from loaders.progress.reports import (ReportDraft, Writer, add_comment, cadences, comments_frame, milestones_frame,
                                      report, reports_frame, save_milestones, set_cadence)
from loaders.progress.status import task_status

TASK = "2022-annual-01-01"
TODAY = date(2022, 12, 1)


def draft(**changes) -> ReportDraft:
    values = dict(task_id=TASK, period="2022-Q2", percent=50, progress="完成项目签约", problems="用地指标紧张",
                  next_steps="加快审批", coordination="", value_reached="")
    values.update(changes)
    return ReportDraft(**values)


def newest_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from loaders.progress.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_an_installation_at_the_previous_revision_keeps_its_reports_when_upgraded(database_url, book, lead_of):
    from alembic import command
    from alembic.config import Config

    from loaders.progress.db import MIGRATIONS, make_engine, migrate
    from loaders.progress.reviews import reviews_frame

    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:  # an installation from before 审核: schema 0002
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.commit()
    assert report(engine, draft(), book, lead_of(TASK), TODAY) == []
    migrate(engine)  # what the next start does
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == newest_revision()
    assert len(reports_frame(engine)) == 1 and reviews_frame(engine).empty
    engine.dispose()


def test_database_is_created_and_migrated_on_first_use(engine):
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == newest_revision() == "0006"  # the newest revision in loaders/progress/migrations/versions/
    assert len(reports_frame(engine)) == 0


def test_report_is_stored_with_reporter_and_time(engine, book, lead_of):
    writer = lead_of(TASK)
    assert report(engine, draft(), book, writer, TODAY) == []
    stored = reports_frame(engine)
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row.task_id, row.period, row.percent, row.unit, row.reported_by) == (
        TASK, "2022-Q2", 50.0, writer.unit, "填报员")
    assert row.reported_at is not None and row.district == "鹿城区"


def test_a_correction_is_a_new_row_and_wins(engine, book, lead_of, frames):
    writer = lead_of(TASK)
    report(engine, draft(percent=20), book, writer, TODAY)
    report(engine, draft(percent=55), book, Writer("管理员", is_admin=True), TODAY)
    stored = reports_frame(engine)
    assert list(stored["percent"]) == [20.0, 55.0]
    assert list(stored["source"]) == ["form", "correction"]
    status = task_status(frames.tasks[frames.tasks["task_id"] == TASK], stored, as_of=stored["reported_on"].max())
    assert status.iloc[0]["latest_percent"] == 55


def test_the_database_refuses_update_and_delete_of_reports(engine, book, lead_of):
    report(engine, draft(), book, lead_of(TASK), TODAY)
    for statement in ("UPDATE reports SET percent = 99", "DELETE FROM reports"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    assert list(reports_frame(engine)["percent"]) == [50.0]


@pytest.mark.parametrize("changes, column, words", [
    ({"percent": 120}, "完成进度", "0 到 100"),
    ({"percent": "一半"}, "完成进度", "一半"),
    ({"percent": -1}, "完成进度", "0 到 100"),
    ({"percent": None}, "完成进度", "0 到 100"),
    ({"progress": "很" * 2001}, "进展情况", "2000"),
    ({"value_reached": "9" * 201}, "已完成值", "200"),
    ({"problems": "a\x00b"}, "存在问题", "控制字符"),
    ({"period": "2023-Q1"}, "报告期", "期限内"),
    ({"period": "2021-Q4"}, "报告期", "期限内"),
    ({"period": "2022-06"}, "报告期", "季度"),
    ({"period": "上半年"}, "报告期", "无法识别"),
    ({"task_id": "2099-annual-999"}, "任务编号", "没有编号"),
    ({"task_id": "2022-annual-01-02"}, "任务编号", "牵头单位不是"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(engine, book, lead_of, changes, column, words):
    writer = lead_of(TASK)
    if changes.get("task_id") == "2022-annual-01-02":
        assert writer.unit not in book["2022-annual-01-02"].lead_units
    problems = report(engine, draft(**changes), book, writer, TODAY)
    assert len(problems) >= 1
    assert problems[0].column == column and words in problems[0].message + problems[0].fix
    assert len(reports_frame(engine)) == 0


def test_future_period_is_refused(engine, book, lead_of):
    problems = report(engine, draft(period="2022-Q4"), book, lead_of(TASK), today=date(2022, 9, 1))
    assert problems and "还没有开始" in problems[0].message


def test_html_is_stored_literally(engine, book, lead_of):
    html = "<script>alert(1)</script><b>加粗</b> =1+1"
    assert report(engine, draft(progress=html, coordination=html), book, lead_of(TASK), TODAY) == []
    stored = reports_frame(engine).iloc[0]
    assert stored.progress == html and stored.coordination == html


def test_percent_as_written_in_ledgers(engine, book, lead_of):
    assert report(engine, draft(percent="75%"), book, lead_of(TASK), TODAY) == []
    assert report(engine, draft(percent="  80.5 "), book, lead_of(TASK), TODAY) == []
    assert list(reports_frame(engine)["percent"]) == [75.0, 80.5]


def test_monthly_cadence_is_a_per_notice_setting(engine, book, lead_of):
    doc_no = book[TASK].doc_no
    set_cadence(engine, doc_no, "month", "管理员")
    assert cadences(engine) == {doc_no: "month"}
    assert report(engine, draft(period="2022-06"), book, lead_of(TASK), TODAY) == []
    problems = report(engine, draft(period="2022-Q2"), book, lead_of(TASK), TODAY)
    assert problems and "月度" in problems[0].message
    set_cadence(engine, doc_no, "quarter", "管理员")  # a later setting wins, the earlier is kept
    assert cadences(engine) == {doc_no: "quarter"}


def test_milestones_a_later_plan_is_a_new_record(engine, book, lead_of):
    task = book[TASK]
    writer = lead_of(TASK)
    assert save_milestones(engine, task, [(date(2022, 6, 30), "完成签约", None)], writer) == []
    assert save_milestones(engine, task, [(date(2022, 6, 30), "完成签约", date(2022, 6, 20)),
                                          (date(2022, 9, 30), "开工", None)], writer) == []
    stored = milestones_frame(engine)
    assert len(stored) == 3 and stored["plan_at"].nunique() == 2
    other = Writer("别人", task.district, "区财政局")
    assert save_milestones(engine, task, [(date(2022, 6, 30), "x", None)], other)
    assert len(milestones_frame(engine)) == 3


def test_support_units_may_comment_but_not_report(engine, book, frames):
    units = frames.task_units
    support = units[(units["role"] == "support") & (units["year"] == 2022) & ~units["is_placeholder"]].iloc[0]
    task = book[support.task_id]
    writer = Writer("配合单位填报员", support.district, support.unit)
    assert report(engine, draft(task_id=support.task_id), book, writer, TODAY)
    assert add_comment(engine, task, "已完成配合工作", writer, "2022-Q2") == []
    assert len(reports_frame(engine)) == 0
    assert list(comments_frame(engine)["text"]) == ["已完成配合工作"]
    outsider = Writer("无关单位", support.district, "不存在的单位")
    assert add_comment(engine, task, "x", outsider)


def test_two_units_saving_at_the_same_moment_both_land(engine, book, frames):
    leads = frames.task_units[(frames.task_units["role"] == "lead") & (frames.task_units["year"] == 2022)
                              & (frames.task_units["scope"] == "annual")]
    pairs = leads.drop_duplicates("unit").head(8)
    writers = [(row.task_id, Writer(f"user{i}", row.district, row.unit)) for i, row in enumerate(pairs.itertuples())]
    barrier = threading.Barrier(len(writers))
    results = {}

    def save(task_id, writer):
        barrier.wait()
        results[writer.name] = [report(engine, draft(task_id=task_id, percent=10 + n), book, writer, TODAY)
                                for n in range(5)]

    threads = [threading.Thread(target=save, args=pair) for pair in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(problems == [] for outcome in results.values() for problems in outcome)
    stored = reports_frame(engine)
    assert len(stored) == 5 * len(writers)
    assert set(stored["reported_by"]) == {w.name for _, w in writers}


KILLED_MID_SAVE = """
import os, sys
from datetime import datetime
from loaders.progress.db import open_database, transaction
from loaders.progress.models import Report
engine = open_database(sys.argv[1])
with transaction(engine) as session:
    session.add_all(Report(task_id="2022-annual-01-01", period="2022-Q2", percent=50, progress="", problems="",
                           next_steps="", coordination="", value_reached="", district="鹿城区", unit="区发改局",
                           reported_by="x", reported_at=datetime(2022, 7, 1), source="form") for _ in range(50))
    session.flush()  # the rows are in the database's transaction, not committed
    print("flushed", flush=True)
    os.kill(os.getpid(), 9)  # the server is killed mid-save
"""


def test_a_server_killed_mid_save_leaves_the_database_consistent(engine, database_url, book, lead_of):
    import subprocess
    import sys
    from pathlib import Path

    report(engine, draft(percent=20), book, lead_of(TASK), TODAY)
    result = subprocess.run([sys.executable, "-c", KILLED_MID_SAVE, database_url], capture_output=True, text=True,
                            timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == -9 and "flushed" in result.stdout, result.stderr
    assert list(reports_frame(engine)["percent"]) == [20.0]  # none of the 50 rows, the earlier one intact
    assert report(engine, draft(percent=30), book, lead_of(TASK), TODAY) == []  # and the database still takes saves
    assert list(reports_frame(engine)["percent"]) == [20.0, 30.0]
