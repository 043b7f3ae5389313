"""数据维护 → 进度台账: upload an Excel ledger, every problem at once, a preview, one all-or-nothing save."""

from __future__ import annotations

from datetime import date

import streamlit as st

from loaders.problems import cap_problems
from loaders.progress.ledger import check_ledger, import_ledger, ledger_preview
from loaders.progress.reports import FIELD_LABELS, Writer, task_book
from ui.cache import cached_frames, data_key
from ui.importer import show_problems
from ui.progress.store import book, data_version, engine, forget_version, stored_for, today
from ui.tables import table
from ui.text import caption, literal

_ROUND, _OUTCOME = "_ledger_round", "_ledger_outcome"
PREVIEW_LABELS = {**FIELD_LABELS, "percent": "完成进度（%）", "unit": "填报单位", "record": "记录"}
_REPORTED_ON = "ledger_reported_on"


@st.cache_data(max_entries=4, show_spinner="正在检查台账…")
def _check(content: bytes, name: str, data: str, version: str, admin: str, as_of: date, reported_on: date | None):
    # version: what is stored (a new report elsewhere can turn a row into a correction)
    frames = cached_frames(data)
    reports, _, cadences, _ = stored_for(version)  # the version and data of the cache key, not re-read
    rows, problems = check_ledger(content, name, task_book(frames.tasks, frames.task_units), cadences,
                                  Writer(admin, is_admin=True), as_of, reported_on)
    return (ledger_preview(rows, frames.tasks, reports) if rows else None), tuple(cap_problems(problems))


def _save(content: bytes, name: str, admin: str, reported_on: date | None) -> None:
    # a button callback: checks the file again against the data as they are now, then one transaction
    saved, problems = import_ledger(engine(), content, name, book(), Writer(admin, is_admin=True), today(),
                                    reported_on)
    forget_version()  # the pages read the new reports on the next run
    if problems:
        st.session_state[_OUTCOME] = ("error", f"台账有 {len(problems)} 处问题（数据在检查之后有变化），未保存任何填报；"
                                               "下面的检查结果已按现在的数据重新生成。")
        return
    st.session_state[_OUTCOME] = ("success", f"已保存台账“{name}”中的 {saved} 条进度填报，填报人记为 {admin}。")
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1  # a new uploader: the file list empties


def ledger_import(admin: str) -> None:
    """Show the ledger upload: the columns, the upload, every problem or the preview, and the save button."""
    outcome = st.session_state.pop(_OUTCOME, None)
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(literal(outcome[1]))
    with st.expander("台账格式", icon=":material/description:"):
        st.text("一个 XLSX 工作簿，第 1 行为列名（中文或英文均可，其他列忽略）：\n"
                "任务编号（task_id）、报告期（period，如 2022-Q2 或 2022-06）、完成进度（percent，0–100，可带 %）、\n"
                "进展情况（progress）、存在问题（problems）、下一步措施（next_steps）、需协调事项（coordination）、"
                "已完成值（value_reached）、填报日期（reported_on，也可写作报送日期、报送时间；如 2022-07-08，"
                "可带时间）。\n"
                "填报日期是单位实际报送的日期：按某一天查看状态时，只计那天以前报送的填报。"
                "没有填报日期的行记为下面选的日期（不选则为导入当天）。\n"
                "全部行通过检查才保存（一个事务），否则一条也不保存。同一任务同一报告期已有填报时，新的一条是更正，"
                "原记录保留。")
    upload = st.file_uploader("选择进度台账（XLSX）", type=["xlsx"], key=f"ledger_file_{st.session_state.get(_ROUND, 0)}")
    if upload is None:
        st.info("请选择台账文件。上传后先检查并显示预览，确认保存前不会写入任何填报。", icon=":material/upload_file:")
        return
    content = upload.getvalue()
    reported_on = st.date_input("台账中未写填报日期的行，记为哪天报送", value=None, max_value=today(),
                                format="YYYY-MM-DD", key=_REPORTED_ON, help="不选：记为导入当天")
    preview, problems = _check(content, upload.name, data_key(), data_version(), admin, today(), reported_on)
    if problems:
        show_problems(problems)
        return
    corrections = int((preview["record"] != "新填报").sum())
    st.subheader("台账预览（尚未保存）")
    caption(f"{upload.name}：{len(preview)} 条填报，涉及 {preview['task_id'].nunique()} 项任务"
            + (f"，其中 {corrections} 条更正已有填报" if corrections else "") + f"；填报人将记为 {admin}。")
    st.button("确认保存", type="primary", icon=":material/save:", on_click=_save, args=(content, upload.name, admin, reported_on),
              key="save_ledger")
    table(preview, PREVIEW_LABELS, wide_text=("progress", "problems", "next_steps", "coordination"))

