"""Showing data literally: tables with Chinese headers, text never as markdown or HTML."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from loaders.select import KIND_LABELS, QUALIFIER_LABELS, ROLE_LABELS, SCOPE_LABELS

COLUMN_LABELS = {
    "label": "任务", "task_id": "任务编号", "year": "年度", "doc_no": "文号", "scope": "表格",
    "section": "板块/分组", "subsection": "小节", "seq": "序号", "project": "项目名称",
    "content": "任务内容", "leaders": "牵头领导", "units": "责任单位", "lead_units": "牵头单位",
    "support_units": "配合单位", "note": "备注", "unit": "单位", "category": "单位类别",
    "lead": "牵头（项）", "support": "配合（项）", "total": "合计（项）", "tasks": "任务数（项）",
    "metric": "指标", "value": "目标值", "unit_of_measure": "计量单位", "qualifier": "限定",
    "phrase": "原句", "kind": "类型", "leader": "领导", "title": "职务", "role": "角色",
}


def empty_message(what: str = "当前筛选条件下没有任务") -> None:
    """Say that nothing is selected, instead of drawing an empty chart."""
    st.info(f"{what}。请在左侧放宽筛选条件（年度、表格或牵头领导）。", icon=":material/filter_alt_off:")


def chart(figure: go.Figure, key: str | None = None) -> None:
    """Show a plotly figure with the shared template (the Streamlit theme would override it)."""
    st.plotly_chart(figure, theme=None, width="stretch", key=key,
                    config={"displaylogo": False, "locale": "zh-CN"})


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None, height: int | str = "auto",
          wide_text: tuple[str, ...] = ("content", "phrase", "note")) -> None:
    """Show a frame as a table with Chinese headers; codes become words; text stays literal."""
    labels = {**COLUMN_LABELS, **(columns or {})}
    shown = frame.copy()
    for prefix, words in (("scope", SCOPE_LABELS), ("role", ROLE_LABELS), ("kind", KIND_LABELS),
                          ("qualifier", QUALIFIER_LABELS)):
        for column in [c for c in shown.columns if c.startswith(prefix)]:
            shown[column] = shown[column].map(lambda v, w=words: w.get(v, v))
    text_columns = shown.select_dtypes(include=["object", "string"]).columns
    shown[text_columns] = shown[text_columns].astype(object).where(shown[text_columns].notna(), "—")
    config = {c: st.column_config.TextColumn(labels.get(c, c), width="large") for c in wide_text if c in shown}
    shown = shown.rename(columns=labels)
    config = {labels.get(c, c): v for c, v in config.items()}
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config)
