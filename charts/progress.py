"""Status lights against 序时进度: stacked bars per leader or unit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import bar_height, plain, styled
from loaders.progress.status import STATUS_ORDER
from loaders.vocabulary import STATUS_COLORS, STATUS_LABELS


def status_bars(counts: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Return horizontal bars of tasks per status for each leader or unit (counts from board.counts_by)."""
    rows = counts.iloc[::-1]
    names = plain(rows[by])
    figure = go.Figure()
    for status in STATUS_ORDER:
        label = STATUS_LABELS[status]
        figure.add_bar(y=names, x=rows[status], name=label, orientation="h", marker_color=STATUS_COLORS[status],
                       customdata=rows[[by]], text=rows[status].where(rows[status] > 0, ""), textposition="inside",
                       hovertemplate="<b>%{y}</b> " + label + "：%{x}项<extra></extra>")
    figure.update_layout(barmode="stack", xaxis_title="任务数（项）", yaxis_title=None)
    return styled(figure, title, bar_height(len(rows)))
