"""审核: the office approves or returns reports (append-only, with a reason); a returned report stops counting
from the day it was returned, the unit sees why and reports again; unreviewed reports count by the setting."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import time_machine
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from loaders.progress.reports import ReportDraft, report, reports_frame
from loaders.progress.reviews import (APPROVED, COUNT_UNREVIEWED_VARIABLE, RETURNED, pending_reports,
                                      returned_reports, review, reviews_frame, with_reviews)
from loaders.progress.status import task_status
from tests.progress.conftest import ON_SQLITE_ONLY
from tests.progress.test_progress_ledger_page import PASSWORD as ADMIN_PASSWORD, ROOT

TASK = "2022-annual-01-01"


@pytest.fixture
def one_report(engine, book, lead_of):
    """One Q3 report of 75% (on schedule), saved on 2022-10-03."""
    assert not report(engine, ReportDraft(TASK, "2022-Q3", 75, progress="按计划推进", reported_on=date(2022, 10, 3)),
                      book, lead_of(TASK), today=date(2022, 10, 3))
    return int(reports_frame(engine)["id"].iloc[0])


def status_as_of(engine, frames, day: date) -> str:
    reports = with_reviews(reports_frame(engine), reviews_frame(engine))
    tasks = frames.tasks[frames.tasks["task_id"] == TASK]
    return task_status(tasks, reports, None, {}, as_of=day).iloc[0]["status"]


def review_on(day: date, engine, report_id: int, decision: str, reason: str = "") -> list:
    with time_machine.travel(datetime(day.year, day.month, day.day, 2, 0, tzinfo=timezone.utc), tick=False):
        return review(engine, report_id, decision, reason, "督查室王五")


def test_a_returned_report_stops_counting_from_the_day_it_was_returned(engine, frames, one_report):
    assert status_as_of(engine, frames, date(2022, 10, 10)) == "on_track"
    assert review_on(date(2022, 10, 12), engine, one_report, RETURNED, "进展情况过于笼统，请补充签约项目数") == []
    assert status_as_of(engine, frames, date(2022, 10, 11)) == "on_track"  # as it stood before the return
    assert status_as_of(engine, frames, date(2022, 10, 12)) == "not_reported"
    stored = with_reviews(reports_frame(engine), reviews_frame(engine))
    [back] = returned_reports(stored).itertuples(index=False)
    assert back.review_reason == "进展情况过于笼统，请补充签约项目数" and back.reviewed_by == "督查室王五"
    assert pending_reports(stored).empty


def test_reporting_again_after_a_return_counts_and_waits_for_review(engine, frames, book, lead_of, one_report):
    review_on(date(2022, 10, 12), engine, one_report, RETURNED, "请补充")
    assert not report(engine, ReportDraft(TASK, "2022-Q3", 76, progress="签约项目 3 个", reported_on=date(2022, 10, 13)),
                      book, lead_of(TASK), today=date(2022, 10, 13))
    stored = with_reviews(reports_frame(engine), reviews_frame(engine))
    assert returned_reports(stored).empty  # reported again: no longer waiting for the unit
    assert pending_reports(stored)["percent"].tolist() == [76.0]
    assert status_as_of(engine, frames, date(2022, 10, 12)) == "not_reported"
    assert status_as_of(engine, frames, date(2022, 10, 13)) == "on_track"  # counted from the day it came in


def test_the_setting_can_count_only_reviewed_reports(engine, frames, one_report, monkeypatch):
    monkeypatch.setenv(COUNT_UNREVIEWED_VARIABLE, "0")
    assert status_as_of(engine, frames, date(2022, 10, 10)) == "not_reported"  # saved, not yet reviewed
    review_on(date(2022, 10, 11), engine, one_report, APPROVED)
    assert status_as_of(engine, frames, date(2022, 10, 10)) == "not_reported"  # approved only from the 11th
    assert status_as_of(engine, frames, date(2022, 10, 11)) == "on_track"


def test_a_return_needs_a_reason_and_reviews_are_never_changed(engine, one_report, database_url):
    problems = review(engine, one_report, RETURNED, "  ", "督查室")
    assert [p.column for p in problems] == ["退回理由"]
    assert [p.message for p in review(engine, 99999, APPROVED, "", "督查室")] == ["没有编号为 99999 的填报"]
    assert review(engine, one_report, "随便", "", "督查室")[0].column == "审核结果"
    assert reviews_frame(engine).empty
    assert review(engine, one_report, APPROVED, "", "督查室") == []
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE reviews SET decision = 'returned'"))
    assert reviews_frame(engine)["decision"].tolist() == [APPROVED]


@ON_SQLITE_ONLY
def test_the_office_returns_a_report_on_the_admin_page_and_the_unit_sees_why(engine, database_url, curated_copy,
                                                                           monkeypatch, one_report):
    from loaders.progress.accounts import add_account
    from loaders.progress.db import URL_VARIABLE
    from tests.progress.test_progress_pages import PASSWORD, open_page

    monkeypatch.setenv(URL_VARIABLE, database_url)
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated_copy))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.secrets["admin"] = {"password": ADMIN_PASSWORD}
    app.run()
    app.switch_page("pages/admin.py").run()
    app.text_input(key="admin_password_input").input(ADMIN_PASSWORD)
    next(b for b in app.button if b.label == "登录").click().run()
    app.radio(key="admin_job").set_value("审核填报").run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("待审核：1 条" == t.value for t in app.text)
    app.radio(key=f"review_decision_{one_report}").set_value(RETURNED).run()
    next(b for b in app.button if b.label == "保存审核结果").click().run()
    assert any("退回时没有写理由" in e.value for e in app.error)  # refused without a reason
    app.text_area(key=f"review_reason_{one_report}").input("请补充签约项目数")
    next(b for b in app.button if b.label == "保存审核结果").click().run()
    assert not app.exception and any("已退回" in s.value for s in app.success)
    assert reviews_frame(engine)["decision"].tolist() == [RETURNED]
    assert any("没有待审核的填报" in i.value for i in app.info)

    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    unit = open_page("pages/report.py")
    unit.text_input(key="progress_login").input("fgj")
    unit.text_input(key="progress_password").input(PASSWORD)
    unit.button[0].click().run()
    warned = " ".join(w.value for w in unit.warning).replace("\\", "")
    assert "有 1 条填报被退回" in warned and "2022-Q3：请补充签约项目数（管理员）" in warned
