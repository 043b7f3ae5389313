"""任务明细: filter tasks, read the full text of one, download exactly the selected rows."""

import streamlit as st

from loaders.curated import UNIT_CATEGORIES
from loaders.downloads import csv_bytes, file_name, xlsx_bytes
from loaders.progress.board import download_status
from loaders.select import TaskQuery, with_status
from loaders.vocabulary import NOTHING, SCOPE_LABELS, STATUS_LABELS
from ui.cache import derived, queried
from ui.data import filter_choices, frames
from ui.filters import clear_button, current_filters, describe
from ui.layout import on_phone
from ui.progress.store import has_progress, progress_board, stored_if_readable, today
from ui.links import chain_lines
from ui.task_card import PHONE_CARDS, TABLE_LIMIT, task_card, task_cards, task_rows
from ui.text import caption, empty_message

st.title("任务明细")
st.caption("按单位、板块、关键词等筛选任务，点选一行查看任务卡片；下载的文件正好包含表中的行。")

all_frames = frames()
filters = current_filters()
choices = filter_choices()
progress_records = stored_if_readable()  # None when the progress database cannot be read: no status then
STATUS_CODES = {label: code for code, label in STATUS_LABELS.items()}

# the filters take little of the first screen: the keyword and the unit in one row, the rest behind 更多筛选
# (its label says how many of them are set; the line 当前筛选 below names them); on a phone all of them start
# closed, the tasks fill the first screen
phone = on_phone()
MORE_KEYS = ("lead_only", "category", "has_target", "section", "status")
more_set = sum(bool(st.session_state.get(key) if key in st.session_state else st.query_params.get(key))
               for key in MORE_KEYS)
box = st.expander("筛选：责任单位、关键词、单位类别、板块/分组、状态", expanded=False, icon=":material/filter_list:") \
    if phone else st.container()
with box:
    first, second = st.columns([3, 2])
    keywords = first.text_input("关键词（多个词用空格分开，须同时出现）", key="q", bind="query-params")
    unit = second.selectbox("责任单位", choices.units_of(filters.district), index=None, placeholder="全部单位", key="unit",
                            bind="query-params")
    more = box if phone else st.expander("更多筛选：只看牵头、单位类别、板块/分组、有量化指标、状态"
                                         + (f"（已设 {more_set} 项）" if more_set else ""), icon=":material/tune:")
    with more:
        left, middle, right = st.columns([2, 2, 3])
        lead_only = left.toggle("只看牵头", key="lead_only", bind="query-params")
        with_target = left.toggle("只看有量化指标的任务", key="has_target", bind="query-params")
        categories = middle.multiselect("单位类别", list(UNIT_CATEGORIES), placeholder="全部类别", key="category",
                                        bind="query-params")
        chosen_sections = right.multiselect("板块/分组", choices.sections_of(filters.district), placeholder="全部板块",
                                            key="section", bind="query-params")
        statuses = middle.multiselect("状态（对照序时进度，截至今天）", list(STATUS_CODES), placeholder="全部状态",
                                      key="status", bind="query-params") if progress_records is not None else []
    if unit or lead_only or categories or with_target or chosen_sections or keywords or statuses:
        clear_button({"unit": None, "lead_only": False, "category": [], "has_target": False, "section": [], "q": "",
                      "status": []})

query = TaskQuery(sections=tuple(chosen_sections), unit=unit, lead_only=lead_only,
                  categories=tuple(categories), with_target=with_target, keywords=keywords or "")
tasks = queried(filters, query)
as_of = today()
board = progress_board(filters, as_of) if has_progress(progress_records) or statuses else None
if board is not None:
    # joined once per task list, board and statuses, for every session showing them
    tasks = derived(with_status, tasks, board.board, tuple(sorted(STATUS_CODES[s] for s in statuses)))
applied = [*([("区县", filters.district)] if filters.district else []),
           ("年度", "、".join(map(str, filters.years)) or "全部"),
           ("表格", "、".join(SCOPE_LABELS[s] for s in filters.scopes) or "全部"),
           ("牵头领导", filters.leader or "全部"), ("单位", unit or "全部"),
           ("只看牵头", "是" if lead_only else "否"), ("单位类别", "、".join(categories) or "全部"),
           ("板块/分组", "、".join(chosen_sections) or "全部"), ("有量化指标", "是" if with_target else "否"),
           ("关键词", keywords or "无"), ("状态", "、".join(statuses) or "全部")]
PAGE_FILTERS = ("单位", "只看牵头", "单位类别", "板块/分组", "有量化指标", "关键词", "状态")
own_filters = [(name, value) for name, value in applied if name in PAGE_FILTERS and value not in ("全部", "否", "无")]
summary = [describe(filters), *(f"{name}：{value}" for name, value in own_filters)]
st.text(f"当前筛选：{' · '.join(summary)} · 共 {len(tasks)} 项任务")
if tasks.empty:
    empty_message("没有符合条件的任务", filters, tuple(name for name, _ in own_filters))
    st.stop()

if len(tasks) > TABLE_LIMIT:
    caption(f"表中显示前 {TABLE_LIMIT} 项（共 {len(tasks)} 项）；下载的文件包含全部 {len(tasks)} 项。")
rows = derived(task_rows, tasks)  # the same for every session showing this task list
if phone:  # a phone gets the tasks as cards, any other browser the table: only one of them is drawn
    with st.container(key="task_cards_box"):
        task_cards(rows.shown, derived(chain_lines, all_frames, tuple(rows.shown["task_id"].head(PHONE_CARDS))))
else:
    with st.container(key="task_table_box"):
        event = st.dataframe(rows.table, hide_index=True, width="stretch", height=420, key="task_table",
                             placeholder=NOTHING, on_select="rerun", selection_mode="single-row",
                             column_config={"任务内容": st.column_config.TextColumn(width="large"),
                                            "任务": st.column_config.TextColumn(width="medium")})
        picked = event.selection.rows if event else []
        if picked:  # right under the table, not below the downloads
            task_card(all_frames, rows.shown.iloc[picked[0]]["task_id"])
        else:
            st.caption("在表中点选一行，即可在此查看任务卡片（全文、单位与角色、领导、指标、备注、出处、落实进度）。")

left, right = st.columns(2)
left.download_button("下载 CSV（Excel/WPS 可直接打开）", lambda: csv_bytes(tasks),
                     file_name=file_name(applied, "csv"), mime="text/csv", on_click="ignore",
                     icon=":material/download:", key="download_csv")
status = download_status(tasks, board, progress_records)  # 状态 and 完成进度 in the XLSX: the board's, as of today
right.download_button("下载 XLSX（含状态、单位分工、筛选条件）",
                      lambda: xlsx_bytes(all_frames, tasks, applied, status=status, as_of=as_of),
                      file_name=file_name(applied, "xlsx"), on_click="ignore", icon=":material/download:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      key="download_xlsx")

READING_LIMIT = 60
if st.toggle("逐条阅读（全文换行显示）", key="reading", bind="query-params"):
    for task in rows.shown.head(READING_LIMIT).itertuples():
        with st.container(border=True):
            st.text(f"{task.label} · 牵头领导：{task.leaders or '通知未列明'} · 牵头单位：{task.lead_units or '—'}"
                    + (f" · 配合单位：{task.support_units}" if task.support_units else ""))
            st.text(task.content)
    if len(tasks) > READING_LIMIT:
        caption(f"逐条阅读只显示前 {READING_LIMIT} 项；请缩小筛选范围，或下载文件查看全部 {len(tasks)} 项。")
