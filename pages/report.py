"""填报 (reporters and admins): the unit's lead tasks, due periods, a report form prefilled with the last report."""

import streamlit as st

from loaders.progress.board import shown_percent, writer_tasks
from loaders.progress.periods import CADENCES, DEFAULT_CADENCE, periods
from loaders.progress.status import reported_as_of, status_of
from loaders.progress.timeline import local_time
from loaders.vocabulary import STATUS_LABELS
from ui.data import frames
from ui.progress.forms import save_comment_form, save_plan_form, save_report_form, show_outcome
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
show_outcome()
reports, milestones, cadence, comments = stored()
own_ids, support_ids = writer_tasks(data, writer)
own = data.tasks[data.tasks["task_id"].isin(own_ids)]
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

    labels = dict(zip(listing["task_id"], listing["label"]))
    task_id = st.selectbox("填报任务", list(labels), format_func=lambda t: f"{t}　{labels[t]}", key="report_task")
    task = tasks_book[task_id]
    st.text(own.loc[own["task_id"] == task_id, "content"].iloc[0])
    cadence_of_task = cadence.get(task.doc_no, DEFAULT_CADENCE)
    started = [p for p in periods(task.year, task.scope, cadence_of_task) if p.start <= today()]
    if not started:
        st.info("该任务的第一个报告期还没有开始。")
        st.stop()
    overdue = listing.loc[listing["task_id"] == task_id, "overdue_periods"].iloc[0]
    labels_started = [p.label for p in started]
    default = overdue.split("、")[0] if overdue else labels_started[-1]
    last = reported.latest[reported.latest["task_id"] == task_id]
    previous = last.iloc[0] if len(last) else None

    with st.form("report_form", clear_on_submit=False):
        caption(f"按{CADENCES[cadence_of_task]}填报；逾期未报：{overdue or '无'}")
        st.selectbox("报告期", labels_started, index=labels_started.index(default), key=f"report_period_{task_id}")
        st.number_input("完成进度（%）", 0.0, 100.0, float(previous.percent) if previous is not None else 0.0,
                                  step=1.0, key=f"report_percent_{task_id}")
        for name, label in (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下一步措施"),
                            ("coordination", "需区领导协调事项（填写后列入牵头领导的需协调事项）")):
            st.text_area(label, previous[name] if previous is not None else "", max_chars=2000,
                                       key=f"report_{name}_{task_id}")
        st.text_input("已完成值（有量化指标的任务填写，如 地区生产总值增长 6.8%）",
                                      previous.value_reached if previous is not None else "", max_chars=200,
                                      key=f"report_value_{task_id}")
        st.form_submit_button("保存填报", type="primary", icon=":material/save:", on_click=save_report_form,
                              args=(task_id, writer))

    with st.expander("时间节点（工作计划）"):
        plan = milestones[milestones["task_id"] == task_id]
        if len(plan):
            current = plan[plan["plan_at"] == plan["plan_at"].max()]
            table(current[["due_date", "what", "done_on", "recorded_by"]],
                  {"due_date": "时间", "what": "节点内容", "done_on": "完成日期", "recorded_by": "制定人"})
        st.text_area("新的计划（每行一个节点：日期 内容；完成的节点在行末写“（已完成 2022-06-20）”）",
                             key=f"milestones_{task_id}")
        st.button("保存计划", key=f"milestones_save_{task_id}", on_click=save_plan_form, args=(task_id, writer))

    st.subheader("本任务的填报记录")
    history = reports[reports["task_id"] == task_id]
    if history.empty:
        st.info("还没有填报。")
    else:
        shown = history.assign(reported_at=local_time(history["reported_at"]))  # the district's time, not UTC
        table(shown[["period", "percent", "progress", "problems", "next_steps", "coordination", "value_reached",
                     "unit", "reported_by", "reported_at"]].iloc[::-1],
              {"period": "报告期", "percent": "完成进度（%）", "progress": "进展情况", "problems": "存在问题",
               "next_steps": "下一步措施", "coordination": "需协调事项", "value_reached": "已完成值",
               "reported_by": "填报人", "reported_at": "报送时间"})

if support_ids:
    st.subheader("配合任务留言")
    support = data.tasks[data.tasks["task_id"].isin(support_ids)]
    support_labels = dict(zip(support["task_id"], support["label"]))
    chosen = st.selectbox("配合的任务", list(support_labels), format_func=lambda t: f"{t}　{support_labels[t]}",
                          key="comment_task")
    st.text_area("留言（配合工作进展、需要牵头单位知道的情况）", max_chars=2000, key=f"comment_{chosen}")
    st.button("保存留言", key="comment_save", on_click=save_comment_form, args=(writer,))
    earlier = comments[comments["task_id"] == chosen]
    if len(earlier):
        table(earlier.assign(written_at=local_time(earlier["written_at"]))[["text", "unit", "written_by", "written_at"]],
              {"text": "留言", "written_by": "留言人", "written_at": "时间"})
