"""The 落实进度 status bars: stacked per leader or unit; clicking a bar lists its tasks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.progress import status_bars
from loaders.downloads import file_name, frame_csv
from loaders.progress.assessment import LABELS as ASSESSMENT_LABELS
from loaders.progress.board import Board
from loaders.progress.checks import AGING_DAYS
from loaders.progress.status import StatusRules
from ui.cache import figure_of
from ui.figures import PLOTLY_CONFIG
from ui.tables import table
from ui.text import caption


def status_lights(data: Board, by: str, title: str, key: str, columns: list[str], labels: dict[str, str]) -> None:
    """Show stacked status bars per leader or unit; clicking a bar (or picking a name) lists its tasks below."""
    counts = data.by_leader if by == "leader" else data.by_unit
    if counts.empty:
        st.info("当前筛选条件下没有可显示的数据。")
        return
    event = st.plotly_chart(figure_of(status_bars, counts.head(30), by, title), theme=None, width="stretch",
                            key=key, on_select="rerun", selection_mode="points",
                            config=PLOTLY_CONFIG)  # no toolbar over the title (on phones it covered it)
    points = event.selection.points if event else []
    names = counts[by].tolist()
    picked = points[0]["customdata"][0] if points and points[0].get("customdata") else None
    chosen = st.selectbox("查看任务", names, index=names.index(picked) if picked in names else None,
                          placeholder="点击柱条或在此选择", key=f"{key}_pick")
    if chosen:
        column = "leaders" if by == "leader" else "lead_units"
        rows = data.board[data.board[column].fillna("").str.split("、").map(lambda listed: chosen in listed)]
        table(rows[columns], labels)


CHECK_COLUMNS = {"check_label": "核查项", "period": "报告期", "detail": "发现的情况"}


def report_checks_list(checks: pd.DataFrame) -> None:
    """Show the reports flagged for a look, by kind, with counts; a flag changes no light."""
    caption(f"对照填报的文字和数字：称“完成”“按序时”但落后序时进度超过 {StatusRules().behind_from:g} 个百分点；"
            f"进展情况与上一报告期一字不差；需协调事项超过 {AGING_DAYS} 天未变。核查只提示，不改变亮灯。")
    if checks.empty:
        st.info("截至该日没有需要核查的填报。")
        return
    counts = checks["check_label"].value_counts()
    for column, (label, count) in zip(st.columns(len(counts)), counts.items()):
        column.metric(label, f"{count} 项")
    table(checks[["label", "check_label", "period", "detail", "leaders", "lead_units"]], CHECK_COLUMNS,
          wide_text=("detail",))


def unit_assessment_table(units: pd.DataFrame, applied: list[tuple[str, str]], as_of) -> None:
    """Show per lead unit its punctuality, lag and 需协调事项, as a reference for 考核 (sortable, downloadable)."""
    caption(f"截至 {as_of:%Y-%m-%d}：按时报送率 = 报告期结束后规定天数内报送的次数 ÷ 应报次数（退回的不算）；"
            "滞后率 = 滞后或严重滞后的牵头任务 ÷ 牵头任务。仅供考核参考，点列名可排序。")
    if units.empty:
        st.info("当前筛选条件下没有牵头单位。")
        return
    table(units, ASSESSMENT_LABELS)
    st.download_button("下载单位考核参考（CSV）", frame_csv(units.rename(columns=ASSESSMENT_LABELS)),
                       file_name=file_name([*applied, ("截至", f"截至{as_of:%Y-%m-%d}")], "csv", prefix="单位考核参考"),
                       mime="text/csv", icon=":material/download:", key="download_units", on_click="ignore")
