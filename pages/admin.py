"""数据维护 (admins only): import a new notice — as published (read, correct the rows) or as curated tables —
or a progress ledger (台账); check, preview, then save atomically."""

import streamlit as st

from ui.access import logout, require_admin
from ui.data import frames
from ui.importer import (check_upload, choose_new_units, save_import, show_details, show_problems, show_summary,
                         template_download, unknown_units)
from ui.ledger import ledger_import
from ui.links import links_admin
from ui.progress.review import review_reports
from ui.reading import (already_imported, ask_options, check_corrected, choose_new_entries, correct_rows, notices_in,
                        read, replace_box, show_layout, show_reading_problems)
from ui.text import caption, literal

st.title("数据维护")
admin = require_admin()
caption(f"已登录：{admin}。导入新一年（或另一个区）的责任分解表，或各单位的进度台账：先检查、预览，确认后保存；"
        "通知导入前的数据自动存为历史版本，可在“数据说明”页恢复；台账的填报只增不改。")
st.button("退出登录", on_click=logout, icon=":material/logout:")

job = st.radio("要做什么", ["导入通知（责任分解表）", "导入进度台账（各单位填报汇总）", "审核填报", "跨年度任务链接"],
               horizontal=True, key="admin_job")
if job == "跨年度任务链接":
    links_admin(admin)
    st.stop()
if job.startswith("导入进度台账"):
    ledger_import(admin)
    st.stop()
if job == "审核填报":
    review_reports(admin)
    st.stop()

outcome = st.session_state.pop("_import_outcome", None)
if outcome:
    (st.success if outcome[0] == "success" else st.error)(literal(outcome[1]))

with st.expander("导入模板与说明", icon=":material/description:"):
    st.text("导入文件是一个 XLSX 工作簿（工作表 documents、tables、tasks，可选 units、leaders、metrics），\n"
            "或按这些表名命名的 CSV 文件（UTF-8 或 WPS/Excel 默认的 GBK 编码均可）。\n"
            "最简单的做法：下载一份已导入通知的导入文件作为模板，按新通知改写后上传。")
    template_download(frames().documents)

upload_key = f"import_files_{st.session_state.get('_import_round', 0)}"
uploads = st.file_uploader("选择通知原文（Word .docx、表格 .xlsx/.csv、文本 .txt、PDF），"
                           "或导入文件（XLSX，或 documents.csv、tables.csv、tasks.csv 等）",
                           type=["docx", "xlsx", "csv", "txt", "pdf"], accept_multiple_files=True, key=upload_key)
if not uploads:
    st.info("请先选择导入文件（通知原文或规范表）。上传后会先读取、检查并显示预览，确认保存前不会改动任何数据。",
            icon=":material/upload_file:")
    st.stop()

notices = notices_in(uploads)
if notices:  # a notice as published: read it, correct the rows, check, save
    notice = notices[0]
    reading = read(notice, ask_options(notice))
    show_layout(reading)
    if reading.problems:
        show_reading_problems(reading.problems)
        st.stop()
    tasks = correct_rows(reading)
    new_units, leaders = choose_new_entries(reading)
    doc = already_imported(reading)
    checked_notice = check_corrected(reading, tasks, new_units, leaders, replace_box(doc) if doc else False)
    if checked_notice.problems:
        show_problems(checked_notice.problems)
        st.stop()
    show_summary(checked_notice.plan)
    if checked_notice.plan.changed:
        st.button("确认保存", type="primary", icon=":material/save:", on_click=save_import,
                  args=(checked_notice.plan, admin), key="save_notice")
    show_details(checked_notice.plan)
    st.stop()

added = st.session_state.get("_added_units", {})
replace = st.session_state.get("replace_documents", False)
checked = check_upload(uploads, replace, added)
for note in checked.notes:
    caption("注意：" + note)

if checked.already_imported:
    st.checkbox(literal("替换已导入的通知：" + "、".join(checked.already_imported)
                        + "（替换前的数据保存为历史版本，可以恢复）"), key="replace_documents")

missing_units = unknown_units(checked.problems)
if missing_units or added:
    chosen = choose_new_units(list(dict.fromkeys(missing_units + list(added))), added)
    if chosen != added:
        st.session_state["_added_units"] = chosen
        st.rerun()

if checked.problems:
    show_problems(checked.problems)
    st.stop()

plan = checked.plan
show_summary(plan)
if plan.changed:
    st.button("确认保存", type="primary", icon=":material/save:", on_click=save_import, args=(plan, admin))
else:
    st.info("导入文件与现有数据完全相同，没有需要保存的改动。", icon=":material/info:")
show_details(plan)
