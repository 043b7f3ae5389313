"""填报 (reporters and admins): the unit's lead tasks, due periods, a report form prefilled with the last report."""

import pandas as pd
import streamlit as st

from loaders.progress.board import shown_percent, writer_tasks
from loaders.progress.periods import CADENCES, DEFAULT_CADENCE, periods
from loaders.progress.reviews import returned_reports
from loaders.progress.status import reported_as_of, status_of
from loaders.progress.timeline import local_time
from loaders.vocabulary import REVIEW_LABELS, STATUS_LABELS
from ui.data import frames
from ui.progress.forms import (chosen_task, field_problems, other_problems, save_comment_form, save_plan,
                               save_report_form, show_outcome, task_choices)
from ui.progress.login import log_out, require_writer
from ui.progress.store import book, stored, today
from ui.tables import table
from ui.text import caption, literal

st.title("填报")
writer = require_writer()
caption(f"已登录：{writer.name}（{'管理员，可填报和更正所有任务' if writer.is_admin else writer.district + ' ' + writer.unit}）。"
        "每次保存都是新的一条记录，更正只需再填一次同一报告期。")
st.button("退出登录", on_click=log_out, icon=":material/logout:")

data, tasks_book = frames(), book()
reports, milestones, cadence, comments = stored()
own_ids, support_ids = writer_tasks(data, writer)
own = data.tasks[data.tasks["task_id"].isin(own_ids)]


def report_form(task_id: str) -> None:
    """The form of one report: period, percent, the four texts and the value reached, prefilled with the last report."""
    task = tasks_book[task_id]
    st.text(own.loc[own["task_id"] == task_id, "content"].iloc[0])
    cadence_of_task = cadence.get(task.doc_no, DEFAULT_CADENCE)
    started = [p for p in periods(task.year, task.scope, cadence_of_task) if p.start <= today()]
    if not started:
        st.info("该任务的第一个报告期还没有开始。")
        return
    overdue = listing.loc[listing["task_id"] == task_id, "overdue_periods"].iloc[0]
    labels_started = [p.label for p in started]
    default = overdue.split("、")[0] if overdue else labels_started[-1]
    last = reported.latest[reported.latest["task_id"] == task_id]
    previous = last.iloc[0] if len(last) else None
    allowed = frozenset(own_ids)
    with st.form("report_form", clear_on_submit=False):
        caption(f"按{CADENCES[cadence_of_task]}填报；逾期未报：{overdue or '无'}")
        st.selectbox("报告期", labels_started, index=labels_started.index(default), key=f"report_period_{task_id}")
        field_problems("report", task_id, "period")
        # no bounds in the browser: its refusal speaks English and blocks the save without a word; checked on save
        st.number_input("完成进度（%，0–100）", value=float(previous.percent) if previous is not None else 0.0,
                        step=1.0, key=f"report_percent_{task_id}")
        field_problems("report", task_id, "percent")
        for name, label in (("progress", "进展情况（必填）"), ("problems", "存在问题"), ("next_steps", "下一步措施"),
                            ("coordination", "需区领导协调事项（填写后列入牵头领导的需协调事项）")):
            st.text_area(label, previous[name] if previous is not None else "", max_chars=2000,
                         key=f"report_{name}_{task_id}")
            field_problems("report", task_id, name)
        st.text_input("已完成值（有量化指标的任务填写，如 地区生产总值增长 6.8%）",
                      previous.value_reached if previous is not None else "", max_chars=200,
                      key=f"report_value_{task_id}")
        field_problems("report", task_id, "value_reached")
        other_problems("report", task_id, ("period", "percent", "progress", "problems", "next_steps", "coordination",
                                           "value_reached"))
        st.form_submit_button("保存填报", type="primary", icon=":material/save:", on_click=save_report_form,
                              args=(task_id, writer, allowed))


PLAN_COLUMNS = {"due_date": st.column_config.DateColumn("日期", format="YYYY-MM-DD", required=False),
                "what": st.column_config.TextColumn("节点内容", width="large", max_chars=2000),
                "done_on": st.column_config.DateColumn("完成日期（已完成的填）", format="YYYY-MM-DD")}


def plan_editor(task_id: str) -> None:
    """The task's 时间节点 as a table to edit (a row per milestone), plus lines pasted from a plan in words."""
    with st.expander("时间节点（工作计划）", expanded=st.session_state.get("_report_outcome", ("",))[0] == "plan"):
        show_outcome("plan", task_id)
        plan = milestones[milestones["task_id"] == task_id]
        current = plan[plan["plan_at"] == plan["plan_at"].max()] if len(plan) else plan
        rows = pd.DataFrame({"due_date": pd.to_datetime(current["due_date"]) if len(current) else pd.Series(
                                 [], dtype="datetime64[ns]"),
                             "what": current["what"].astype(str) if len(current) else pd.Series([], dtype=str),
                             "done_on": pd.to_datetime(current["done_on"]) if len(current) else pd.Series(
                                 [], dtype="datetime64[ns]")}).reset_index(drop=True)
        caption("在表中增删节点（点表格下方的“+”添加一行，选中行后可删除）。保存后成为新的计划，原计划保留在历史中。")
        st.data_editor(rows, column_config=PLAN_COLUMNS, num_rows="dynamic", hide_index=True, width="stretch",
                       placeholder="", key=f"plan_table_{task_id}")  # an empty cell looks empty, not "None"
        st.text_area("也可以粘贴或输入多行，每行以时间开头：如“6月底前完成上半年目标分解”“三季度末完成主体工程”"
                     "“10月15日前完成验收”“2022-12-31 全面完成”", key=f"plan_lines_{task_id}")
        other_problems("plan", task_id, ())
        st.button("保存计划", key=f"milestones_save_{task_id}", icon=":material/save:", on_click=save_plan,
                  args=(task_id, writer, frozenset(own_ids), rows.to_dict("records"), tasks_book[task_id].year))


def report_history(task_id: str) -> None:
    """Every report of the task, newest first, with when it was reported (the district's time)."""
    st.subheader("本任务的填报记录")
    history = reports[reports["task_id"] == task_id]
    if history.empty:
        st.info("还没有填报。")
        return
    shown = history.assign(reported_at=local_time(history["reported_at"]),
                           review_label=history["review"].map(REVIEW_LABELS))
    table(shown[["period", "percent", "review_label", "review_reason", "progress", "problems", "next_steps",
                 "coordination", "value_reached", "unit", "reported_by", "reported_at"]].iloc[::-1],
          {"period": "报告期", "percent": "完成进度（%）", "review_label": "审核", "review_reason": "退回理由",
           "progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施", "coordination": "需协调事项",
           "value_reached": "已完成值", "reported_by": "填报人", "reported_at": "报送时间"})


def comment_form() -> None:
    """A support unit's comment on a task it supports, and the comments written before."""
    st.subheader("配合任务留言")
    support = data.tasks[data.tasks["task_id"].isin(support_ids)]
    choices = task_choices(support)
    if chosen_task("comment_task", set(choices)) is None:
        st.session_state.pop("comment_task", None)
    chosen = st.selectbox("配合的任务", list(choices), format_func=choices.get, key="comment_task")
    show_outcome("comment", chosen)
    st.text_area("留言（配合工作进展、需要牵头单位知道的情况）", max_chars=2000, key=f"comment_{chosen}")
    field_problems("comment", chosen, "text")
    st.button("保存留言", key="comment_save", on_click=save_comment_form, args=(writer, frozenset(support_ids)))
    earlier = comments[comments["task_id"] == chosen]
    if len(earlier):
        table(earlier.assign(written_at=local_time(earlier["written_at"]))[["text", "unit", "written_by", "written_at"]],
              {"text": "留言", "written_by": "留言人", "written_at": "时间"})


if own.empty:
    st.info("本单位没有牵头的任务。配合的任务可以在下方留言。")
else:
    reported = reported_as_of(reports, today())  # once: the status of the list and the form's last report
    status = status_of(own, reported, milestones, cadence)
    listing = own[["task_id", "label", "content"]].merge(status, on="task_id")
    listing["status_label"] = listing["status"].map(STATUS_LABELS)
    listing["latest_shown"] = shown_percent(listing["latest_percent"])
    listing = listing.sort_values(["overdue_periods", "task_id"], ascending=[False, True])
    due = listing[listing["overdue_periods"] != ""]
    if len(due):
        st.warning(literal(f"有 {len(due)} 项任务存在已过填报期限仍未填报的报告期，见下表“逾期未报”列。"),
                   icon=":material/schedule:")
    table(listing[["label", "status_label", "expected_percent", "latest_shown", "overdue_periods", "content"]],
          {"status_label": "状态", "expected_percent": "序时进度（%）", "latest_shown": "完成进度（%）",
           "overdue_periods": "逾期未报"})

    returned = returned_reports(reports[reports["task_id"].isin(own_ids)])
    if len(returned):  # what the office sent back, with its reason: report the period again
        labels = dict(zip(own["task_id"], own["label"]))
        st.warning(literal(f"有 {len(returned)} 条填报被退回，请按理由修改后重新填报该报告期：\n" + "\n".join(
            f"{labels.get(r.task_id, r.task_id)} {r.period}：{r.review_reason}（{r.reviewed_by}）"
            for r in returned.itertuples(index=False))), icon=":material/undo:")
    choices = task_choices(own)  # in the notice's order: the picker does not move when a save re-sorts the list
    if chosen_task("report_task", set(choices)) is None:
        st.session_state.pop("report_task", None)  # a value that is not one of this unit's tasks
    task_id = st.selectbox("填报任务", list(choices), format_func=choices.get, key="report_task")
    show_outcome("report", task_id)
    report_form(task_id)
    plan_editor(task_id)
    report_history(task_id)

if support_ids:
    comment_form()
