"""数据维护 → 进度台账 (SQLite and PostgreSQL): upload, every problem at once, preview, all-or-nothing save."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.progress.db import URL_VARIABLE
from loaders.progress.ledger import CORRECTS, NEW, ledger_preview
from loaders.progress.reports import ReportDraft, Writer, report, reports_frame
from tests.progress.conftest import ON_SQLITE_ONLY
from tests.progress.test_progress_ledger import CHINESE, GOOD_ROWS, workbook

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "正确的密码-correct horse"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin_page(engine, database_url, curated_copy, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated_copy))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.secrets["admin"] = {"password": PASSWORD}
    app.run()
    app.switch_page("pages/admin.py").run()
    app.text_input(key="admin_password_input").input(PASSWORD)
    next(b for b in app.button if b.label == "登录").click().run()
    app.radio(key="admin_job").set_value("导入进度台账（各单位填报汇总）").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.file_uploader[0].set_value((name, content, XLSX))
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@ON_SQLITE_ONLY
def test_a_good_ledger_is_previewed_then_saved_with_the_admins_name(admin_page, engine, book):
    assert report(engine, ReportDraft("2022-annual-01-02", "2022-Q2", 30), book, Writer("甲", is_admin=True)) == []
    app = upload(admin_page, "二季度台账.xlsx", workbook(CHINESE, *GOOD_ROWS))
    preview = next(f.value for f in app.dataframe if "记录" in f.value.columns)
    assert preview["任务编号"].tolist() == [row[0] for row in GOOD_ROWS]
    assert preview["进展情况"].tolist() == ["已开展", "推进中", "<b>照原样</b>"]
    assert preview["记录"].tolist() == [NEW, NEW, CORRECTS]
    assert len(reports_frame(engine)) == 1  # nothing written by the preview
    next(b for b in app.button if b.label == "确认保存").click().run()
    assert not app.exception, [e.message for e in app.exception]
    stored = reports_frame(engine)
    assert len(stored) == 4 and set(stored["source"].iloc[1:]) == {"ledger"}
    assert set(stored["reported_by"].iloc[1:]) == {"管理员"}
    assert any("已保存台账" in s.value and "3 条" in s.value for s in app.success)
    assert not app.dataframe or not any("记录" in f.value.columns for f in app.dataframe)  # the upload was emptied


@ON_SQLITE_ONLY
def test_a_bad_ledger_lists_every_problem_and_saves_nothing(admin_page, engine):
    bad = workbook(CHINESE, ("2022-annual-01-01", "2022-Q2", 120, "", "", "", "", ""),
                   ("不存在的任务", "2022-Q2", 50, "", "", "", "", ""),
                   ("2022-annual-01-02", "上半年", "一半", "", "", "", "", ""))
    app = upload(admin_page, "坏台账.xlsx", bad)
    assert any("4 处问题" in e.value and "未做任何修改" in e.value for e in app.error)
    problems = next(f.value for f in app.dataframe if "处理办法" in f.value.columns)
    assert set(zip(problems["行"], problems["列"])) == {(2, "完成进度"), (3, "任务编号"), (4, "报告期"),
                                                      (4, "完成进度")}
    assert set(problems["文件"]) == {"坏台账.xlsx"} and set(problems["工作表"]) == {"台账"}
    assert not any(b.label == "确认保存" for b in app.button)
    assert reports_frame(engine).empty


@ON_SQLITE_ONLY
def test_a_file_that_is_not_a_workbook_is_refused(admin_page, engine):
    app = upload(admin_page, "台账.xlsx", b"not a zip at all")
    assert any("1 处问题" in e.value for e in app.error)
    assert reports_frame(engine).empty


def test_the_preview_marks_corrections(frames):
    import pandas as pd

    rows = [{"task_id": "2022-annual-01-01", "period": "2022-Q2", "percent": 50.0, "progress": "", "problems": "",
             "next_steps": "", "coordination": "", "value_reached": "", "unit": "区发改局"}]
    none = pd.DataFrame(columns=["task_id", "period"])
    assert ledger_preview(rows, frames.tasks, none)["record"].tolist() == [NEW]
    earlier = pd.DataFrame({"task_id": ["2022-annual-01-01"], "period": ["2022-Q2"]})
    preview = ledger_preview(rows, frames.tasks, earlier)
    assert preview["record"].tolist() == [CORRECTS] and preview["label"].notna().all()
