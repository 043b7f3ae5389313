"""领导分工: tasks per leader, one leader's portfolio, leaders across years, leader × unit."""

from dataclasses import replace

import streamlit as st

from charts.leaders import leader_unit_heatmap, leader_years_bar, tasks_per_leader_bar
from loaders.analysis.leaders import (leader_portfolio, leader_unit_matrix, leaders_across_years, leaders_by_load,
                                      tasks_per_leader, tasks_without_leader)
from loaders.analysis.overview import task_count
from ui.cache import analysed
from ui.data import frames
from ui.figures import chart, drill_chart
from ui.filters import current_filters, describe
from ui.layout import on_phone
from ui.links import carry_on_section
from ui.portfolio import show_leader_portfolio, show_leader_unit_list
from ui.sections import on_request
from ui.text import caption, empty_message, literal

st.title("领导分工")
st.caption("每位领导牵头多少任务、分布在哪些表格；选一位领导查看其全部任务、牵头单位和量化指标。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
st.text(f"当前筛选：{describe(filters)}")
if analysed(task_count, filters) == 0:
    empty_message(filters=filters)
    st.stop()

per_leader = analysed(tasks_per_leader, filters)
unled = analysed(tasks_without_leader, filters)
if per_leader.empty:
    st.info(literal(f"当前筛选条件下的 {unled} 项任务，通知都未列明牵头领导（只列了牵头单位和配合单位）。"))
    st.stop()
several_years = per_leader["year"].nunique() > 1
drill_chart(tasks_per_leader_bar, per_leader,
            "各位领导牵头的任务数（按表格分色" + ("，各年度分列" if several_years else "") + "）",
            key="leaders_bar", param="leader", names=per_leader["leader"].drop_duplicates().tolist(),
            picker_label="查看某位领导的任务", focus_key=None if filters.leader else "leader_focus",
            opens=("leaders_view", "一位领导的任务"))
st.caption("一项任务有两位牵头领导时，两人各计一次。" + ("点一下上方的姓名" if on_phone() else "点击柱条") +
           "：下方显示该领导的任务，并出现任务明细链接；"
           "左侧筛选不变。" + (f"另有 {unled} 项任务通知未列明牵头领导，不计入任何人。" if unled else ""))

# below the first chart, one part at a time and only on request: the first chart is drawn alone (the
# choice of a leader is light and open from the start)
one_tab, years_tab, matrix_tab, carry_tab = on_request(
    ["一位领导的任务", "同一位领导在不同年度", "领导 × 单位", "延续与变化"], key="leaders_view", default="一位领导的任务")
if one_tab.open:
    with one_tab:
        focus = filters.leader or st.selectbox("选择领导", analysed(leaders_by_load, filters), index=None,
                                                placeholder="点击上方柱条或在此选择", key="leader_focus")
        if focus:
            show_leader_portfolio(analysed(leader_portfolio, filters, focus), focus)
        else:
            caption("选一位领导（点击上方柱条或在此选择），这里列出其全部任务、牵头单位、量化指标和民生实事。")
if years_tab.open:
    with years_tab:
        across = analysed(leaders_across_years, replace(filters, years=(), leader=None))
        if across.empty:
            st.info("当前表格中没有在两个以上年度的通知里都牵头任务的领导。")
        else:
            chart(leader_years_bar, across, "在两个以上年度都牵头任务的领导：各年任务数", key="leaders_years")
if matrix_tab.open:
    with matrix_tab:
        matrix = analysed(leader_unit_matrix, filters)
        if matrix.empty:
            empty_message("当前筛选条件下没有领导与单位的对应", filters)
        else:
            with st.container(key="leader_matrix_box"):  # hidden on phones (ui/style.css): too small to read there
                chart(leader_unit_heatmap, matrix, "领导与责任单位共同承担的任务数（任务最多的20个单位）", key="leaders_matrix")
            with st.container(key="leader_units_list"):  # shown on phones only: the same numbers as a list per leader
                show_leader_unit_list(matrix)
if carry_tab.open:
    with carry_tab:
        chosen = filters.leader or st.selectbox("选择领导", analysed(leaders_by_load, filters), index=None,
                                                 placeholder="全部领导", key="leader_carry_on")
        if chosen:
            caption(f"{chosen}牵头的任务：与上一份通知相比的延续、新增和不再列出，连续多年列入和上年未完成又列入的任务。")
            carry_on_section(replace(filters, leader=chosen))
        else:
            caption("以下是当前筛选下全部任务的延续与变化；在上面选一位领导，只看其牵头的任务。")
            carry_on_section(filters)
