"""The task card: one task in full, every value shown literally."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from loaders.frames import Frames
from loaders.progress.status import task_status
from loaders.progress.timeline import TIMELINE_LABELS, status_sentence, task_timeline
from loaders.vocabulary import MISSING_TEXT, MISSING_TEXT_ON_CARD, SCOPE_LABELS, STATUS_LABELS
from ui.progress.store import stored_if_readable, today
from ui.links import task_chain
from ui.tables import as_arrow, table
from ui.text import caption, literal

TABLE_LIMIT = 2000  # rows drawn in the browser; the downloads always hold every selected row
TABLE_COLUMNS = {"label": "任务", "status_label": "状态", "content": "任务内容", "leaders": "牵头领导",
                 "lead_units": "牵头单位", "support_units": "配合单位", "note": "备注"}


@dataclass(frozen=True)
class TaskRows:
    """The rows of 任务明细 as drawn: at most TABLE_LIMIT, with what a reader sees for a missing text or leader."""

    shown: pd.DataFrame  # task_id and the shown texts, row for row as in `table`
    table: pa.Table | pd.DataFrame  # the columns of the table, Chinese headers (Arrow: converted once)


def task_rows(tasks: pd.DataFrame) -> TaskRows:
    """Return the rows 任务明细 draws for a task list (use ui.cache.derived: once per shared list)."""
    shown = tasks.head(TABLE_LIMIT)
    shown = shown.assign(content=shown["content"].where(~shown["content_missing"], MISSING_TEXT),
                         leaders=shown["leaders"].where(shown["leaders"] != "", "（通知未列明）"))
    if "status" in shown:
        shown = shown.assign(status_label=shown["status"].map(STATUS_LABELS))
    columns = [c for c in TABLE_COLUMNS if c in shown]
    return TaskRows(shown, as_arrow(shown[columns].rename(columns=TABLE_COLUMNS)))


def task_card(frames: Frames, task_id: str) -> None:
    """Show the full text, units and roles, leaders, targets, remarks and source of one task."""
    task = frames.tasks.set_index("task_id").loc[task_id]
    with st.container(border=True):
        # the label names the district when the data hold several (鹿城区·2023年度(1))
        st.text(" · ".join([task["label"], SCOPE_LABELS[task["scope"]], task["doc_no"]]))
        if task["section"] or task["subsection"]:
            st.text(" ".join(filter(None, [task["section"], task["subsection"]])))
        if task["project"]:
            st.text(f"项目：{task['project']}")
        st.text(task["content"] if not task["content_missing"] else MISSING_TEXT_ON_CARD)
        left, right = st.columns(2)
        with left:
            units = frames.task_units[frames.task_units["task_id"] == task_id]
            table(units[["unit", "role", "capacity", "category", "source"]],
                  {"capacity": "兼任身份", "source": "来源"}, wide_text=())
        with right:
            leaders = frames.task_leaders[frames.task_leaders["task_id"] == task_id]
            table(leaders.assign(title=leaders["title"].where(leaders["title"] != "", "（通知未列明）"))
                  [["leader", "title"]], wide_text=())
        targets = frames.targets[frames.targets["task_id"] == task_id]
        if not targets.empty:
            table(targets[["metric", "value", "unit", "qualifier", "phrase"]], {"unit": "计量单位"})
        if task["note"]:
            st.text(f"备注：{task['note']}")
        st.text(f"出处：{task['source_file']} 第{task['source_line']}行；原文责任单位：{task['units_printed']}")
        task_chain(frames, task_id)
        progress_timeline(frames, task_id)


def progress_timeline(frames: Frames, task_id: str) -> None:
    """Show the task's status against 序时进度 in words, its 时间节点, every report and the comments on it."""
    st.subheader("落实进度", anchor=False)
    records = stored_if_readable()
    if records is None:
        st.warning("落实进度数据库暂时无法读取，任务的填报记录稍后再看。")
        return
    reports, milestones, cadences, comments = records
    as_of = today()
    task = frames.tasks[frames.tasks["task_id"] == task_id]
    status = task_status(task, reports, milestones, cadences, as_of).iloc[0].to_dict()
    st.text(status_sentence(status))
    timeline = task_timeline(task_id, reports, milestones, comments, as_of)
    st.markdown("**时间节点**")
    if timeline.milestones.empty:
        st.text("尚无时间节点。")
    else:
        table(timeline.milestones, TIMELINE_LABELS, wide_text=("what",))
        if timeline.earlier_plans:
            caption(f"另有 {timeline.earlier_plans} 份较早的计划已被新计划替换（保留在数据库中）。")
    st.markdown("**填报记录**（新的在前；同一报告期再次填报为“更正”，被替换的一条标“已被更正”，都保留）")
    if timeline.reports.empty:
        st.text("尚未填报。")
    else:
        table(timeline.reports, TIMELINE_LABELS, wide_text=())
    st.markdown("**配合单位留言**")
    if timeline.comments.empty:
        st.text("尚无留言。")
    else:
        table(timeline.comments, TIMELINE_LABELS, wide_text=("text",))


PHONE_CARDS = 30  # cards drawn for phones; the rest are in the downloads


def task_cards(tasks, chains: dict[str, list[str]] | None = None) -> None:
    """Show the tasks as a list of cards for narrow screens: label, status, first lines, lead units; a tap opens one.

    When the tasks carry a status (任务明细 with progress data), its word leads the card title;
    chains (ui.links.chain_lines) adds the task's other years (历年延续).

    Each card is an expander (its title is plain text, never markdown from the data);
    inside are the full text, leaders and units. 任务明细 draws them for phones instead of
    the table (ui.layout.on_phone), where a table shows a few characters of each task.
    """
    for task in tasks.head(PHONE_CARDS).itertuples():
        first_lines = task.content[:40] + ("…" if len(task.content) > 40 else "")
        lead = f" · 牵头：{task.lead_units}" if task.lead_units else ""
        status = STATUS_LABELS.get(getattr(task, "status", None))
        with st.expander(literal(f"{f'【{status}】' if status else ''}{task.label} {first_lines}{lead}")):
            if status:
                st.text(f"状态：{status}")
            st.text(task.content)
            st.text(f"牵头领导：{task.leaders}")
            st.text(f"牵头单位：{task.lead_units or '—'}")
            if task.support_units:
                st.text(f"配合单位：{task.support_units}")
            if task.note:
                st.text(f"备注：{task.note}")
            if chains and chains.get(task.task_id):
                st.text("历年延续：\n" + "\n".join(chains[task.task_id]))
    if len(tasks) > PHONE_CARDS:
        st.caption(f"只列出前 {PHONE_CARDS} 项（共 {len(tasks)} 项）；请缩小筛选范围，或下载文件查看全部。")
