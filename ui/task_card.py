"""The task card: one task in full, every value shown literally."""

from __future__ import annotations

import streamlit as st

from loaders.frames import Frames
from loaders.select import SCOPE_LABELS
from ui.show import table


def task_card(frames: Frames, task_id: str) -> None:
    """Show the full text, units and roles, leaders, targets, remarks and source of one task."""
    task = frames.tasks.set_index("task_id").loc[task_id]
    with st.container(border=True):
        several = frames.documents["district"].nunique() > 1
        st.text(" · ".join([task["label"], SCOPE_LABELS[task["scope"]], *([task["district"]] if several else []),
                            task["doc_no"]]))
        if task["section"] or task["subsection"]:
            st.text(" ".join(filter(None, [task["section"], task["subsection"]])))
        if task["project"]:
            st.text(f"项目：{task['project']}")
        st.text(task["content"] if not task["content_missing"] else "（原文缺少任务内容，看板不补写。）")
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
