"""One leader's load on 领导分工: counts, sections, lead units, targets, livelihood projects, every task."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders.analysis.links import changes_of_tasks
from ui.layout import on_phone
from ui.links import target_changes_of
from ui.tables import table
from ui.text import caption


def show_leader_portfolio(portfolio: dict[str, pd.DataFrame], leader: str) -> None:
    """Show one leader's tasks: counts, target changes, sections, lead units, targets, livelihood projects, every task."""
    st.text(leader)
    columns = st.columns(4)
    columns[0].metric("牵头任务（项）", len(portfolio["tasks"]))
    columns[1].metric("涉及牵头单位（个）", len(portfolio["lead_units"]))
    columns[2].metric("量化指标（个）", len(portfolio["targets"]))
    columns[3].metric("民生实事（项）", len(portfolio["livelihood"]))
    show_leader_changes(portfolio["tasks"], leader)
    left, right = st.columns(2)
    with left:
        st.markdown("**所在板块/分组**")
        table(portfolio["sections"], {"section": "板块/分组"}, wide_text=("section",))
    with right:
        st.markdown("**牵头单位**")
        table(portfolio["lead_units"])
    if not portfolio["targets"].empty:
        st.markdown("**量化指标**")
        table(portfolio["targets"], {"unit": "计量单位"},
              only=["label", "metric", "value", "unit", "qualifier", "phrase"], phone=(["metric", "label"], ["phrase"]))
    if not portfolio["livelihood"].empty:
        st.markdown("**民生实事**")
        table(portfolio["livelihood"], only=["label", "project", "content", "units"],
              phone=(["label", "project"], ["content", "units"]))
    st.markdown("**全部任务**")
    table(portfolio["tasks"], only=["label", "section", "content", "lead_units", "support_units"],
          phone=(["label", "section"], ["content", "lead_units", "support_units"]))


def show_leader_changes(tasks: pd.DataFrame, leader: str) -> None:
    """Show how the targets of a leader's tasks changed against the tasks they carry on (提高/降低/…, 交接)."""
    st.markdown("**指标变化**（与上一份通知中接续的任务相比）")
    found = [changes_of_tasks(target_changes_of(district), set(group["task_id"]))
             for district, group in tasks.groupby("district", sort=False)]
    changes = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if changes.empty:
        caption(f"{leader}牵头的任务在本区县上一份通知中没有接续的任务，或接续的任务都没有量化指标。")
        return
    lowered = int((changes["direction"] == "lowered").sum())
    caption(f"共 {len(changes)} 个指标" + (f"，其中降低 {lowered} 个" if lowered else "") +
            "；上一年由别的领导或单位牵头的写明“交接”。")
    if on_phone():  # two lines per target: every value visible without sideways scrolling
        for row in changes.itertuples():
            with st.container(border=True):
                st.text(f"{row.metric}：{row.year_from}年 {row.target_from} → {row.year_to}年 {row.target_to}（{row.direction_word}）")
                st.text(row.label_to + (f"；{row.handover}" if row.handover else ""))
        return
    shown = changes.assign(earlier=[f"{t}（{y}年）" for t, y in zip(changes["target_from"], changes["year_from"])],
                           handed=changes["handover"].str.removeprefix("交接："))
    table(shown, {"label_to": "任务", "earlier": "上一份通知", "target_to": "本年", "direction_word": "变化",
                  "handed": "交接"},
          only=["metric", "earlier", "target_to", "direction_word", "handed", "label_to"])


def show_leader_unit_list(matrix: pd.DataFrame) -> None:
    """Show a leader × unit matrix as one line per leader (units by shared tasks, most first), for phones."""
    st.caption("领导与责任单位共同承担的任务数（任务最多的20个单位）")
    for leader, row in matrix.iterrows():
        together = row[row > 0].sort_values(ascending=False, kind="stable")
        st.text(f"{leader}：" + ("、".join(f"{unit} {int(n)}" for unit, n in together.items()) or "无"))
