"""落实进度: each task's light against 序时进度 as of a date, per leader and unit; red, overdue, 需协调事项, 催报."""

import streamlit as st

from loaders.progress.bulletin import bulletin_docx, bulletin_subject
from loaders.progress.ledger_export import applied_filters, ledger_file_name, ledger_xlsx
from loaders.progress.reviews import unreviewed_count
from loaders.progress.status import STATUS_ORDER, rule_text
from loaders.text import safe_file_name
from loaders.vocabulary import STATUS_LABELS
from ui.data import frames
from ui.filters import current_filters, describe
from ui.progress.lights import report_checks_list, status_lights, unit_assessment_table
from ui.progress.reminding import chase_section
from ui.progress.store import progress_board, today
from ui.sections import on_request
from ui.tables import table
from ui.text import caption, empty_message

BOARD_COLUMNS = {"status_label": "状态", "expected_percent": "序时进度（%）", "latest_shown": "完成进度（%）",
                 "last_period": "应报报告期", "overdue_periods": "逾期未报", "reported_period": "最近报告期",
                 "progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施",
                 "coordination": "需协调事项", "value_reached": "已完成值", "reported_on": "填报日期",
                 "unit": "填报单位", "tasks": "任务数", "task_ids": "任务编号", "district": "区县",
                 "period": "报告期", "review_label": "审核"}
SHOWN = ["label", "status_label", "review_label", "expected_percent", "latest_shown", "last_period", "overdue_periods",
         "leaders", "lead_units", "reported_period", "progress", "problems", "next_steps", "coordination",
         "value_reached", "content"]
# on a phone: the task and its light first, then what was reported (ui.tables.two_line_list)
PHONE_LINES = (["label", "status_label", "review_label"],
               ["expected_percent", "latest_shown", "overdue_periods", "leaders", "lead_units", "progress", "problems",
                "coordination", "content"])

st.title("落实进度")
st.caption("各项任务对照序时进度的完成情况（牵头单位按季度或按月填报，见“填报”页）。")
with st.expander("亮灯规则"):
    st.text(rule_text())

frames()
filters = current_filters()
as_of = st.date_input("截至日期", value=today(), key="progress_as_of", format="YYYY-MM-DD")
st.text(f"当前筛选：{describe(filters)}；截至 {as_of:%Y-%m-%d}")
data = progress_board(filters, as_of)
if data.board.empty:
    empty_message()
    st.stop()

counts = data.board["status"].value_counts()
for column, status in zip(st.columns(len(STATUS_ORDER)), STATUS_ORDER):
    column.metric(STATUS_LABELS[status], f"{counts.get(status, 0)} 项")
caption(f"填报审核：待审核 {len(data.pending)} 条，退回待重新填报 {len(data.returned)} 条。"
        + ("未审核的填报计入亮灯，表中标为“未审核”。" if unreviewed_count() else "只有已审核的填报计入亮灯。"))
applied = applied_filters(filters, data.board)
st.download_button("下载进度台账（XLSX）", lambda: ledger_xlsx(data.board, applied, as_of),
                   file_name=ledger_file_name(applied, as_of), on_click="ignore", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_ledger",
                   help="每项任务一行：状态（按颜色标出）、序时进度、完成进度和最新一次填报；另有状态图例和筛选条件")
subject = bulletin_subject(data.board)
st.download_button("下载通报初稿（DOCX）", lambda: bulletin_docx(data, subject, as_of),
                   file_name=safe_file_name(["通报初稿", subject, f"截至{as_of:%Y-%m-%d}"], "docx"), on_click="ignore",
                   icon=":material/description:", key="download_bulletin",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   help="按通报的常用格式：总体情况、严重滞后和滞后的任务、逾期未报的单位、需协调事项；文号和日期留空，由办公室填写")


# one part at a time below the figures: the lights per leader are the first chart, the lists come on request
leader_tab, unit_tab = on_request(["按领导", "按牵头单位"], key="progress_by", default="按领导", label="亮灯情况",
                                  required=True)
if leader_tab.open:
    with leader_tab:
        status_lights(data, "leader", "各位领导牵头任务的亮灯情况", "progress_leaders", SHOWN, BOARD_COLUMNS)
if unit_tab.open:
    with unit_tab:
        status_lights(data, "unit", "各牵头单位任务的亮灯情况（前30个）", "progress_units", SHOWN, BOARD_COLUMNS)

red_tab, overdue_tab, coordination_tab, chase_tab, checks_tab, units_tab, all_tab = on_request(
    ["严重滞后", "逾期未报", "各位领导的需协调事项", "催报名单", "填报核查", "单位考核参考", "全部任务的状态"],
    key="progress_list", label="任务清单")
if red_tab.open:
    with red_tab:
        if data.red.empty:
            st.info("没有严重滞后的任务。")
        else:
            table(data.red[SHOWN], BOARD_COLUMNS, phone=PHONE_LINES)
if overdue_tab.open:
    with overdue_tab:
        if data.overdue.empty:
            st.info("没有逾期未报的任务。")
        else:
            table(data.overdue[SHOWN], BOARD_COLUMNS, phone=PHONE_LINES)
if coordination_tab.open:
    with coordination_tab:
        if data.coordination.empty:
            st.info("截至该日没有需区领导协调的事项。")
        else:
            leaders = sorted(data.coordination["leader"].unique())
            leader = st.selectbox("领导", leaders, index=None, placeholder="全部领导",
                                  key="progress_coordination_leader")
            items = data.coordination if not leader else data.coordination[data.coordination["leader"] == leader]
            table(items, {**BOARD_COLUMNS, "coordination": "需协调事项"}, wide_text=("coordination",),
                  only=["leader", "label", "coordination", "unit", "period", "reported_on"],
                  phone=(["leader", "label"], ["coordination", "unit", "period", "reported_on"]))
if chase_tab.open:
    with chase_tab:
        chase_section(data.reminders, subject, as_of)
if checks_tab.open:
    with checks_tab:
        report_checks_list(data.checks)
if units_tab.open:
    with units_tab:
        unit_assessment_table(data.units, applied, as_of)
if all_tab.open:
    with all_tab:
        table(data.board[SHOWN], BOARD_COLUMNS)
