"""总览: headline figures per notice, tasks per leader; the busiest units and the notices on request."""

import streamlit as st

from charts.leaders import tasks_per_leader_bar
from charts.units import unit_load_bar
from loaders.analysis.leaders import tasks_per_leader, tasks_without_leader
from loaders.analysis.overview import headline, task_count
from loaders.analysis.units import unit_load
from ui.cache import analysed
from ui.data import frames
from ui.figures import drill_chart
from ui.filters import current_filters, describe
from ui.links import carry_on_section
from ui.sections import on_request
from ui.tables import table
from ui.text import caption, empty_message, literal

st.title("总览")
st.caption("每份通知有多少任务、领导、责任单位和量化指标；点击柱条或下方链接进入详细页面。")

all_frames = frames()
filters = current_filters()
st.text(f"当前筛选：{describe(filters)}")
if analysed(task_count, filters) == 0:
    empty_message(filters=filters)
    st.stop()

MAX_DOCUMENT_BOXES = 4
headlines = analysed(headline, filters)
headlines = headlines[headlines["tasks"] > 0]
documents = all_frames.documents
if filters.district:
    documents = documents[documents["district"] == filters.district]
if len(headlines) > MAX_DOCUMENT_BOXES:
    # many notices (several years or districts): totals, then one table with a row per notice
    columns = st.columns(4)
    columns[0].metric("通知（份）", len(headlines))
    columns[1].metric("任务（项）", int(headlines["tasks"].sum()))
    columns[2].metric("量化指标（个）", int(headlines["targets"].sum()))
    columns[3].metric("民生实事（项）", int(headlines["livelihood_projects"].sum()))
    st.subheader("通知")
    notices = headlines.merge(documents[["doc_no", "title", "issued_date"]], on="doc_no", how="left")
    # the figures first, the long title last: on a 1366-wide screen the counts stay in view
    table(notices[["doc_no", "district", "year", "tasks", "leaders", "units", "targets", "livelihood_projects",
                   "content_missing", "issued_date", "title"]],
          {"title": "标题", "issued_date": "印发日期", "tasks": "任务（项）", "leaders": "牵头领导（人）",
           "units": "责任单位（个）", "targets": "量化指标（个）", "livelihood_projects": "民生实事（项）",
           "content_missing": "原文缺内容（项）"}, wide_text=("title",))
else:
    for figures in headlines.itertuples():
        with st.container(border=True):
            st.text(f"{figures.doc_no}（{figures.district + '，' if all_frames.several_districts else ''}{figures.year}年）")
            columns = st.columns(5)
            columns[0].metric("任务（项）", figures.tasks)
            columns[1].metric("牵头领导（人）", figures.leaders)
            columns[2].metric("责任单位（个）", figures.units, help="不含“相关街镇”“各相关单位”等统称")
            columns[3].metric("量化指标（个）", figures.targets)
            columns[4].metric("民生实事（项）", figures.livelihood_projects)
            if figures.content_missing:
                st.caption("其中 " + str(figures.content_missing) + " 项任务原文缺少内容（见“数据说明”）。")

per_leader = analysed(tasks_per_leader, filters)
unled = analysed(tasks_without_leader, filters)
if per_leader.empty:
    st.info(literal(f"这 {unled} 项任务，通知都未列明牵头领导。"))
else:
    drill_chart(tasks_per_leader_bar, per_leader, "各位领导牵头的任务数", key="overview_leaders", param="leader")
    if unled:
        caption(f"另有 {unled} 项任务通知未列明牵头领导，不计入任何人。")
st.page_link("pages/leaders.py", label="查看领导分工详情", icon=":material/arrow_forward:")

# the first chart is drawn alone; the units chart (open at once when no leader is named) and the notices on request
CARRY_ON = "延续与变化（与上一份通知相比）"
parts = ["任务最多的10个责任单位", CARRY_ON] + (["通知原文（标题、成文和印发日期、附件）"]
                                           if len(headlines) <= MAX_DOCUMENT_BOXES else [])
units_part, carry_on_part, *notices_part = on_request(parts, key="overview_more",
                                                      default=parts[0] if per_leader.empty else None)
if units_part.open:
    with units_part:
        drill_chart(unit_load_bar, analysed(unit_load, filters), "任务最多的10个责任单位（牵头+配合）", top=10,
                    key="overview_units", param="unit")
        st.page_link("pages/units.py", label="查看单位负荷详情", icon=":material/arrow_forward:")
if notices_part and notices_part[0].open:
    with notices_part[0]:
        table(documents[["doc_no", "district", "title", "signed_date", "issued_date", "attachments"]],
              {"title": "标题", "signed_date": "成文日期", "issued_date": "印发日期", "attachments": "附件"},
              wide_text=("title", "attachments"))
if carry_on_part.open:
    with carry_on_part:
        carry_on_section(filters)  # against the year before; 连续多年列入, 上年未完成又列入
