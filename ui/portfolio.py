"""One leader's load on 领导分工: counts, sections, lead units, targets, livelihood projects, every task."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.tables import table


def show_leader_portfolio(portfolio: dict[str, pd.DataFrame], leader: str) -> None:
    """Show one leader's tasks: counts, sections, lead units, targets, livelihood projects and every task."""
    st.text(leader)
    columns = st.columns(4)
    columns[0].metric("牵头任务（项）", len(portfolio["tasks"]))
    columns[1].metric("涉及牵头单位（个）", len(portfolio["lead_units"]))
    columns[2].metric("量化指标（个）", len(portfolio["targets"]))
    columns[3].metric("民生实事（项）", len(portfolio["livelihood"]))
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
              only=["label", "metric", "value", "unit", "qualifier", "phrase"])
    if not portfolio["livelihood"].empty:
        st.markdown("**民生实事**")
        table(portfolio["livelihood"], only=["label", "project", "content", "units"])
    st.markdown("**全部任务**")
    table(portfolio["tasks"], only=["label", "section", "content", "lead_units", "support_units"])


def show_leader_unit_list(matrix: pd.DataFrame) -> None:
    """Show a leader × unit matrix as one line per leader (units by shared tasks, most first), for phones."""
    st.caption("领导与责任单位共同承担的任务数（任务最多的20个单位）")
    for leader, row in matrix.iterrows():
        together = row[row > 0].sort_values(ascending=False, kind="stable")
        st.text(f"{leader}：" + ("、".join(f"{unit} {int(n)}" for unit, n in together.items()) or "无"))
