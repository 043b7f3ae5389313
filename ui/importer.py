"""Pieces of the 数据维护 page: checking an upload, the problems, the preview, the history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from loaders.clock import local_text
from loaders.curated import UNIT_CATEGORIES, parse_csv_bytes, read_curated_files
from loaders.importing import ImportPlan, notice_workbook, plan_import, template_file_name
from loaders.package import UploadedFile
from loaders.problems import CuratedDataError, Problem
from loaders.security.isolated import read_package_isolated
from loaders.store import SaveBusy, StaleBase, damaged_records, history_note, restore, save_tables, versions
from ui.cache import data_key, directory_of, forget_data_key
from ui.database import configured_url, not_saved
from ui.tables import table
from ui.text import caption, literal



@dataclass(frozen=True)
class Checked:
    """The outcome of checking an upload: notes, the plan (None when there are problems), problems."""

    notes: tuple[str, ...]
    plan: ImportPlan | None
    problems: tuple[Problem, ...]
    documents: tuple[str, ...]  # doc_no of the notices in the upload
    already_imported: tuple[str, ...]


@st.cache_data(max_entries=4, show_spinner="正在检查导入文件…")
def _check(files: tuple[tuple[str, bytes], ...], key: str, replace: bool,
           added: tuple[tuple[str, str], ...]) -> Checked:
    # parsed in a child process with memory and time limits: a hostile file cannot grow or stall the server
    package, problems = read_package_isolated([UploadedFile(name, data) for name, data in files])
    documents = tuple(package.tables["documents"]["doc_no"]) if "documents" in package.tables and \
        "doc_no" in package.tables["documents"] else ()
    documents_file = read_curated_files(directory_of(key))["documents"]
    current = parse_csv_bytes(documents_file)["doc_no"] if documents_file else pd.Series(dtype=str)
    plan = None
    if not problems:
        plan, problems = plan_import(package, directory_of(key), replace=replace, added_units=dict(added))
    return Checked(tuple(package.notes), plan, tuple(problems), documents,
                   tuple(d for d in documents if d in set(current)))


def check_upload(uploads, replace: bool, added: dict[str, str]) -> Checked:
    """Return the check of the uploaded files against the curated data as it is now (cached per upload)."""
    files = tuple((upload.name, upload.getvalue()) for upload in uploads)
    return _check(files, data_key(), replace, tuple(sorted(added.items())))


def show_problems(problems: tuple[Problem, ...]) -> None:
    """List every problem with where it is and how to fix it (as data, never as markdown)."""
    st.error(f"导入文件有 {len(problems)} 处问题，未做任何修改。请按“处理办法”改好文件后重新上传。",
             icon=":material/error:")
    rows = pd.DataFrame([{"file": p.file, "sheet": p.sheet or "", "row": p.row, "column": p.column or "",
                          "message": p.message, "fix": p.fix} for p in problems])
    table(rows, {"file": "文件", "sheet": "工作表", "row": "行", "column": "列", "message": "问题",
                 "fix": "处理办法"}, wide_text=("message", "fix"))
    st.text("逐条说明（全文）：")
    st.code("\n".join(f"{number}. {problem}" for number, problem in enumerate(problems, start=1)),
            language=None, wrap_lines=True)


def unknown_units(problems: tuple[Problem, ...]) -> list[str]:
    """Return the unit names the dictionary does not know, in the order found."""
    return list(dict.fromkeys(p.value for p in problems if p.value and p.code == "unknown_unit"))


def choose_new_units(names: list[str], chosen: dict[str, str]) -> dict[str, str]:
    """Offer to add unknown units to the dictionary with a category; return the ones chosen."""
    st.subheader("新增单位")
    st.text("以下单位不在单位词典中。若是拼写错误，请改正文件；若确是新单位，选择类别后勾选“加入词典”。")
    editor = pd.DataFrame({"unit": names, "category": [chosen.get(n) for n in names],
                           "add": [n in chosen for n in names]})
    edited = st.data_editor(
        editor, hide_index=True, width="stretch", key="new_units_editor",
        column_config={
            "unit": st.column_config.TextColumn("单位（原文写法）", disabled=True),
            "category": st.column_config.SelectboxColumn("类别", options=list(UNIT_CATEGORIES)),
            "add": st.column_config.CheckboxColumn("加入词典"),
        })
    return {row.unit: row.category for row in edited.itertuples() if row.add and row.category}


def show_summary(plan: ImportPlan) -> None:
    """Show, per notice, what the import adds or replaces (before anything is saved)."""
    st.subheader("导入预览（尚未保存）")
    summary = plan.summary()
    table(summary, {"doc_no": "文号", "action": "操作", "tasks_before": "现有任务（项）",
                    "tasks_after": "导入后任务（项）", "units": "涉及单位", "leaders": "牵头领导",
                    "targets": "量化指标"}, wide_text=())
    if plan.changed:
        caption("将改动的规范表：" + "、".join(f"{n}.csv" for n in plan.changed)
                + "。保存前的数据会存为一个历史版本，可以恢复。")


def show_details(plan: ImportPlan) -> None:
    """Show new dictionary entries and tasks per leader and per unit, before and after."""
    for title, frame, columns in (
            ("新增单位", plan.new_units, {"unit": "单位", "category": "类别", "aliases": "别名"}),
            ("新增领导", plan.new_leaders, {"leader": "领导", "year": "年度", "title": "职务"}),
            ("新增指标", plan.new_metrics, {"metric": "指标", "kind": "类型"})):
        if len(frame):
            st.markdown("**" + literal(f"{title}（{len(frame)}）") + "**")
            table(frame[list(columns)], columns, wide_text=())
    left, right = st.columns(2)
    with left:
        st.markdown("**各领导牵头任务数**")
        table(plan.tasks_per_leader(), {"tasks_before": "现有（项）", "tasks_after": "导入后（项）"},
              wide_text=(), height=360)
    with right:
        st.markdown("**各单位任务数**")
        table(plan.tasks_per_unit(), {"tasks_before": "现有（项）", "tasks_after": "导入后（项）"},
              wide_text=(), height=360)


def template_download(documents: pd.DataFrame) -> None:
    """Offer any imported notice as an import workbook (a template for next year's)."""
    choices = documents.sort_values("year", ascending=False)["doc_no"].tolist()
    doc = st.selectbox("以哪份通知为模板", choices, key="template_doc")
    directory = directory_of(data_key())
    st.download_button("下载导入模板（XLSX）", lambda: notice_workbook(directory, doc),
                       file_name=template_file_name(doc), on_click="ignore", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def history_table() -> list:
    """Show the saved earlier versions (newest first) and return them."""
    directory = directory_of(data_key())
    found = versions(directory, url=configured_url())  # finishes a killed save: the files may have changed
    forget_data_key()
    for message in damaged_records(directory):
        st.warning(literal(message), icon=":material/warning:")
    moved = history_note(directory, configured_url())
    if moved:
        st.caption(literal(moved))
    if not found:
        st.text("还没有历史版本。每次导入或恢复前的数据都会保存为一个版本。")
        return []
    rows = pd.DataFrame([{"version": v.version, "saved_at": local_text(v.saved_at),
                          "documents": "、".join(v.documents), "tasks": v.tasks, "action": v.action, "by": v.by}
                         for v in found])
    table(rows, {"version": "版本", "saved_at": "保存时间", "documents": "当时的通知", "tasks": "任务（项）",
                 "action": "之后的操作", "by": "操作人"}, wide_text=("documents", "action"),
          phone=(["saved_at", "version"], ["action", "by", "tasks"]))
    return found


def restore_form(found: list, admin: str) -> None:
    """Let an admin make an earlier version current again (after ticking a confirmation)."""
    outcome = st.session_state.pop("_restore_outcome", None)
    if outcome:
        kind, message = outcome
        (st.success if kind == "success" else st.warning if kind == "warning" else st.error)(literal(message))
    labels = {v.version: f"{v.version}（{local_text(v.saved_at)}，{v.tasks} 项任务）" for v in found}
    with st.form("restore_version"):
        st.markdown("**恢复历史版本**（仅管理员可见）")
        st.selectbox("恢复到版本", list(labels), format_func=labels.get, key="restore_choice")
        st.checkbox("我确认恢复：当前数据会先保存为一个新的历史版本", key="restore_sure")
        # a callback runs before the script, so a rerun can never lose the click
        st.form_submit_button("恢复", icon=":material/restore:", on_click=_restore_chosen, args=(admin,))


def _restore_chosen(admin: str) -> None:
    version = st.session_state.get("restore_choice")
    if not st.session_state.get("restore_sure"):
        st.session_state["_restore_outcome"] = ("warning", "请先勾选确认。")
        return
    try:
        saved = restore(directory_of(data_key()), version, by=admin, url=configured_url())
        forget_data_key()  # the rest of this run shows the restored data
    except CuratedDataError as error:
        st.session_state["_restore_outcome"] = ("error", f"版本 {version} 的规范表有问题，未恢复：" +
                                                "；".join(str(p) for p in error.problems[:5]))
        return
    except SaveBusy as error:
        st.session_state["_restore_outcome"] = ("error", str(error))
        return
    except (SQLAlchemyError, OSError) as error:
        st.session_state["_restore_outcome"] = ("error", not_saved(error))
        return
    st.session_state["_restore_outcome"] = ("success", f"已恢复到版本 {version}；恢复前的数据已存为版本 {saved}。")


def save_import(plan: ImportPlan, admin: str) -> None:
    """Save a checked import (a button callback: it runs before the script, exactly once per click)."""
    try:
        version = save_tables(directory_of(data_key()), {name: plan.merged[name] for name in plan.changed},
                              plan.action(), admin, base=plan.base, url=configured_url())
        forget_data_key()  # the rest of this run shows the saved data
    except SaveBusy as error:
        st.session_state["_import_outcome"] = ("error", str(error))
        return
    except (SQLAlchemyError, OSError) as error:
        st.session_state["_import_outcome"] = ("error", not_saved(error))
        return
    except StaleBase as error:
        # the page checks the upload again against the data as it is now and shows the new preview
        st.session_state["_import_outcome"] = ("error", str(error) + "下面的预览已按现在的数据重新生成。")
        return
    st.session_state["_import_outcome"] = ("success", f"已保存：{plan.action()}。导入前的数据已存为版本 {version}，"
                                                      "可在“数据说明”页恢复。")
    # a new uploader key empties the file list; the choices made for this file are forgotten
    st.session_state["_import_round"] = st.session_state.get("_import_round", 0) + 1
    for key in ("_added_units", "replace_documents", "new_units_editor"):
        st.session_state.pop(key, None)
