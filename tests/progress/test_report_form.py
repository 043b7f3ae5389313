"""The reporter's form as a unit's reporter uses it: tasks named in words, problems said in Chinese beside the
field, the form stays on the task just saved, 时间节点 in a table or in words, no traceback for forged values."""

from __future__ import annotations

import re
from datetime import date

import pytest

from loaders.progress.accounts import add_account
from loaders.progress.db import URL_VARIABLE
from loaders.progress.reports import comments_frame, milestones_frame, plan_from_rows, reports_frame
from tests.progress.conftest import ON_SQLITE_ONLY
from tests.progress.test_progress_pages import PASSWORD, open_page

TASK_ID = re.compile(r"\d{4}-(annual|five_year|livelihood)-")


@pytest.fixture
def reporter(engine, database_url, monkeypatch):
    """The 填报 page logged in as 区发改局's reporter (鹿城区), on an empty database."""
    monkeypatch.setenv(URL_VARIABLE, database_url)
    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    app = open_page("pages/report.py")
    app.text_input(key="progress_login").input("fgj")
    app.text_input(key="progress_password").input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def save_button(app):
    return next(b for b in app.button if b.label == "保存填报")


def shown_text(app) -> str:
    return "\n".join([e.value for e in app.error] + [s.value for s in app.success] + [t.value for t in app.text]
                     ).replace("\\", "")


@ON_SQLITE_ONLY
def test_tasks_are_named_by_label_and_first_words_never_by_id(reporter, frames):
    shown = reporter.selectbox(key="report_task").options  # what the picker shows
    assert shown and not any(TASK_ID.search(name) for name in shown)
    labels = dict(zip(frames.tasks["task_id"], frames.tasks["label"]))
    chosen = reporter.session_state["report_task"]
    assert shown[0].startswith(labels[chosen])
    assert len(shown[0]) > len(labels[chosen]) + 5  # the first words of the task follow the label


@ON_SQLITE_ONLY
def test_a_percent_out_of_range_and_an_empty_progress_are_said_in_chinese_and_nothing_is_saved(reporter, engine):
    task_id = reporter.session_state["report_task"]
    reporter.number_input(key=f"report_percent_{task_id}").set_value(120.0)  # no browser bound refuses it silently
    save_button(reporter).click().run()
    assert not reporter.exception
    said = shown_text(reporter)
    assert "未保存" in said and "没有填写进展情况" in said
    assert "不是 0 到 100 之间的数" in said
    assert not re.search(r"[A-Za-z]{4,}", "".join(e.value for e in reporter.error))  # no English
    assert reports_frame(engine).empty


@ON_SQLITE_ONLY
def test_the_form_stays_on_the_task_just_saved_and_names_it(reporter, engine, frames):
    own = frames.task_units[(frames.task_units["unit"] == "区发改局") & (frames.task_units["role"] == "lead")]
    second = frames.tasks[frames.tasks["task_id"].isin(own["task_id"])]["task_id"].iloc[1]
    reporter.selectbox(key="report_task").select(second).run()
    reporter.number_input(key=f"report_percent_{second}").set_value(30.0)
    reporter.text_area(key=f"report_progress_{second}").input("已完成立项")
    save_button(reporter).click().run()
    assert not reporter.exception, [e.message for e in reporter.exception]
    assert reporter.session_state["report_task"] == second  # not moved to another task by the new order
    label = frames.tasks.set_index("task_id").loc[second, "label"]
    [success] = [s.value.replace("\\", "") for s in reporter.success]
    assert label in success and second not in success
    assert reports_frame(engine)["task_id"].tolist() == [second]
    reporter.run()  # a rerun keeps the confirmation of this task and stays on it
    assert reporter.session_state["report_task"] == second and reporter.success


@ON_SQLITE_ONLY
def test_a_plan_in_words_becomes_dated_milestones_in_the_tasks_year(reporter, engine):
    task_id = reporter.session_state["report_task"]
    year = int(task_id[:4])
    reporter.text_area(key=f"plan_lines_{task_id}").input(
        "6月底前完成上半年目标分解\n三季度末完成主体工程\n10月15日前完成验收\n年底前全面完成（已完成 " f"{year}-12-20）")
    next(b for b in reporter.button if b.label == "保存计划").click().run()
    assert not reporter.exception, [e.message for e in reporter.exception]
    plan = milestones_frame(engine)
    assert plan["due_date"].tolist() == [date(year, 6, 30), date(year, 9, 30), date(year, 10, 15), date(year, 12, 31)]
    assert plan["what"].tolist() == ["完成上半年目标分解", "完成主体工程", "完成验收", "全面完成"]
    assert plan["done_on"].tolist()[-1] == date(year, 12, 20)
    assert any("4 个节点" in s.value for s in reporter.success)
    reporter.text_area(key=f"plan_lines_{task_id}").input("尽快完成\n三季度末")
    next(b for b in reporter.button if b.label == "保存计划").click().run()
    said = shown_text(reporter)
    assert "第 1 行" in said and "没有可识别的时间" in said and "第 2 行" in said and "没有节点内容" in said
    assert len(milestones_frame(engine)) == 4  # nothing of the refused plan was stored


def test_the_plan_table_keeps_every_row_and_names_half_filled_ones():
    rows = [{"due_date": date(2022, 5, 31), "what": "完成招标", "done_on": None},
            {"due_date": None, "what": "", "done_on": None},  # an empty row added and left: skipped
            {"due_date": None, "what": "完成设计", "done_on": None},
            {"due_date": date(2022, 8, 1), "what": "  ", "done_on": None}]
    items, problems = plan_from_rows(rows, "", 2022)
    assert items == [(date(2022, 5, 31), "完成招标", None)]
    assert [(p.row, p.column) for p in problems] == [(3, "日期"), (4, "节点内容")]


def _callbacks_with_forged_values():
    import streamlit as st

    from loaders.progress.reports import Writer
    from ui.progress.forms import chosen_task, save_comment_form, save_plan, save_report_form, show_outcome

    writer = Writer("fgj", "鹿城区", "区发改局")
    allowed = frozenset({"2022-annual-01-01"})
    st.session_state["comment_task"] = "2099-annual-99-99"  # a value the page never offered
    st.text(repr(chosen_task("comment_task", set(allowed))))
    save_comment_form(writer, allowed)
    show_outcome("comment", "2099-annual-99-99")
    save_report_form("<script>2099</script>", writer, allowed)
    show_outcome("report", "<script>2099</script>")
    save_plan(["不是文字"], writer, allowed, [], 2022)  # not even a string
    show_outcome("plan", None)


@ON_SQLITE_ONLY
def test_forged_task_values_get_a_message_never_a_traceback(engine, database_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = AppTest.from_function(_callbacks_with_forged_values, default_timeout=60).run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.text[0].value == "None"  # the page drops a value that is not one of its choices
    messages = [t.value for t in app.text[1:]]
    assert len(app.error) == 3 and messages.count("所选任务不在本单位可填报的任务中。从列表中重新选择任务") == 3
    assert reports_frame(engine).empty and comments_frame(engine).empty and milestones_frame(engine).empty
