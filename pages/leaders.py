"""领导分工: tasks per leader, one leader's portfolio, leaders across years, leader × unit."""

from dataclasses import replace

import streamlit as st

from charts.leaders import leader_unit_heatmap, leader_years_bar, tasks_per_leader_bar
from ui.data import analysed, frames
from ui.filters import current_filters, describe
from ui.show import chart, drill_chart, empty_message, leader_unit_list, literal, table

st.title("领导分工")
st.caption("每位领导牵头多少任务、分布在哪些表格；选一位领导查看其全部任务、牵头单位和量化指标。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
st.text(f"当前筛选：{describe(filters)}")
if analysed("task_count", filters) == 0:
    empty_message(filters=filters)
    st.stop()

per_leader = analysed("tasks_per_leader", filters)
unled = analysed("tasks_without_leader", filters)
if per_leader.empty:
    st.info(literal(f"当前筛选条件下的 {unled} 项任务，通知都未列明牵头领导（只列了牵头单位和配合单位）。"))
    st.stop()
several_years = per_leader["year"].nunique() > 1
drill_chart(tasks_per_leader_bar, per_leader,
            "各位领导牵头的任务数（按表格分色" + ("，各年度分列" if several_years else "") + "）",
            key="leaders_bar", param="leader", names=per_leader["leader"].drop_duplicates().tolist(),
            picker_label="查看某位领导的任务", focus_key=None if filters.leader else "leader_focus")
st.caption("一项任务有两位牵头领导时，两人各计一次。点击柱条：下方显示该领导的任务，并出现任务明细链接；"
           "左侧筛选不变。" + (f"另有 {unled} 项任务通知未列明牵头领导，不计入任何人。" if unled else ""))

st.subheader("一位领导的任务")
names = analysed("leaders_by_load", filters)
focus = filters.leader or st.selectbox("选择领导", names, key="leader_focus")
portfolio = analysed("leader_portfolio", filters, focus)
st.text(focus)
columns = st.columns(4)
columns[0].metric("牵头任务（项）", len(portfolio["tasks"]))
columns[1].metric("涉及牵头单位（个）", len(portfolio["lead_units"]))
columns[2].metric("量化指标（个）", len(portfolio["targets"]))
columns[3].metric("民生实事（项）", len(portfolio["livelihood"]))
left, right = st.columns(2)
with left:
    st.markdown("**所在板块/分组**")
    table(portfolio["sections"], {"section": "板块/分组"}, wide_text=("section",))
with right:
    st.markdown("**牵头单位**")
    table(portfolio["lead_units"])
if not portfolio["targets"].empty:
    st.markdown("**量化指标**")
    table(portfolio["targets"][["label", "metric", "value", "unit", "qualifier", "phrase"]],
          {"unit": "计量单位"})
if not portfolio["livelihood"].empty:
    st.markdown("**民生实事**")
    table(portfolio["livelihood"][["label", "project", "content", "units"]])
st.markdown("**全部任务**")
table(portfolio["tasks"][["label", "section", "content", "lead_units", "support_units"]])

st.subheader("同一位领导在不同年度")
across = analysed("leaders_across_years", replace(filters, years=(), leader=None))
if across.empty:
    st.info("当前表格中没有在两个以上年度的通知里都牵头任务的领导。")
else:
    chart(leader_years_bar, across, "在两个以上年度都牵头任务的领导：各年任务数", key="leaders_years")

st.subheader("领导 × 单位")
matrix = analysed("leader_unit_matrix", filters)
if matrix.empty:
    empty_message("当前筛选条件下没有领导与单位的对应", filters)
else:
    with st.container(key="leader_matrix_box"):  # hidden on phones (ui/style.css): too small to read there
        chart(leader_unit_heatmap, matrix, "领导与责任单位共同承担的任务数（任务最多的20个单位）", key="leaders_matrix")
    with st.container(key="leader_units_list"):  # shown on phones only: the same numbers as a list per leader
        leader_unit_list(matrix)
