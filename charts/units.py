"""Charts of how the load is spread across units."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import bar_figure, bar_height, plain, styled, whole_number_ticks
from loaders.vocabulary import PAIR_COLORS, ROLE_COLORS, ROLE_LABELS


def unit_load_bar(load: pd.DataFrame, title: str, top: int | None = None, highlight: str | None = None,
                  narrow: bool = False) -> go.Figure:
    """Return horizontal bars of tasks per unit (the first `top` rows, or all), lead and support stacked.

    `top` is an option rather than a cut made by the caller, so the page passes the shared
    result itself and its figure is found by identity, without hashing a new frame each run.
    """
    rows = (load if top is None else load.head(top)).iloc[::-1]
    names = [plain(name) for name in (rows["who"] if "who" in rows else rows["unit"]).tolist()]
    customdata = [list(pair) for pair in zip(rows["unit"].tolist(), rows["hover"].tolist())]
    traces = []
    for role in ("lead", "support"):
        counts = rows[role].tolist()
        traces.append(dict(
            y=names, x=counts, name=ROLE_LABELS[role], orientation="h", marker=dict(color=ROLE_COLORS[role]),
            customdata=customdata, text=[count if count > 0 else "" for count in counts], textposition="inside",
            hovertemplate="<b>%{y}</b> " + ROLE_LABELS[role] + "：%{x}项<br>%{customdata[1]}<extra></extra>"))
    layout = dict(barmode="stack", xaxis=dict(title=dict(text="任务数（项）")))
    return bar_figure(traces, layout, title, bar_height(len(rows)), highlight=highlight, narrow=narrow)


def category_bar(categories: pd.DataFrame, title: str) -> go.Figure:
    """Return bars of lead and support assignments per unit category."""
    rows = categories.iloc[::-1]
    figure = go.Figure()
    for role in ("lead", "support"):
        figure.add_bar(y=rows["category"], x=rows[role], name=ROLE_LABELS[role], orientation="h",
                       marker_color=ROLE_COLORS[role], text=rows[role].where(rows[role] > 0, ""),
                       textposition="auto", customdata=rows[["units"]],
                       hovertemplate="%{y} " + ROLE_LABELS[role] + "：%{x}次（%{customdata[0]}个单位）<extra></extra>")
    figure.update_layout(barmode="stack", xaxis_title="分工次数（单位×任务）", yaxis_title=None)
    return whole_number_ticks(styled(figure, title, bar_height(len(rows), minimum=440)), "x")


def pareto_curve(curve: pd.DataFrame, title: str) -> go.Figure:
    """Return the Pareto chart: assignments per unit by rank and their cumulative share."""
    figure = go.Figure()
    figure.add_bar(x=curve["rank"], y=curve["total"], name="分工次数", marker_color=ROLE_COLORS["support"],
                   customdata=plain(curve["unit"]).to_frame(), hovertemplate="第%{x}名 %{customdata[0]}：%{y}项<extra></extra>")
    figure.add_scatter(x=curve["rank"], y=curve["cumulative_share"] * 100, name="累计占比", yaxis="y2",
                       mode="lines+markers", line=dict(color=ROLE_COLORS["lead"], width=3),
                       customdata=plain(curve["unit"]).to_frame(),
                       hovertemplate="前%{x}个单位（至%{customdata[0]}）：累计%{y:.1f}%<extra></extra>")
    figure.update_layout(
        xaxis_title="单位排名（按分工次数）", yaxis_title="分工次数",
        yaxis2=dict(title=dict(text="累计占比（%）"), overlaying="y", side="right", range=[0, 105],
                    tickvals=[0, 20, 40, 60, 80, 100], showgrid=False, ticksuffix="%"),
    )
    return styled(figure, title, 440)


def co_assignment_bar(pairs: pd.DataFrame, title: str) -> go.Figure:
    """Return horizontal bars of the unit pairs most often assigned together."""
    rows = pairs.iloc[::-1]
    names = plain(rows["unit_a"] + " + " + rows["unit_b"])
    figure = go.Figure(go.Bar(y=names, x=rows["tasks"], orientation="h", marker_color=ROLE_COLORS["lead"],
                              text=rows["tasks"], textposition="inside",
                              hovertemplate="%{y}：共同承担%{x}项<extra></extra>"))
    figure.update_layout(xaxis_title="共同承担的任务数（项）", yaxis_title=None, showlegend=False)
    return whole_number_ticks(styled(figure, title, bar_height(len(rows))), "x")


def unit_years_dumbbell(comparison: pd.DataFrame, title: str, years: tuple[int, int]) -> go.Figure:
    """Return a dumbbell chart of each unit's tasks in two chosen years (earlier grey, later blue)."""
    rows = comparison.iloc[::-1]
    rows = rows.assign(unit=plain(rows["unit"]))
    first, second = (f"tasks_{y}" for y in years)
    figure = go.Figure()
    xs, ys = [], []
    for unit, a, b in zip(rows["unit"], rows[first], rows[second]):
        xs += [a, b, None]
        ys += [unit, unit, None]
    figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="#c9d1d9", width=4),
                       showlegend=False, hoverinfo="skip")
    for year, column, color in zip(years, (first, second), PAIR_COLORS):
        figure.add_scatter(x=rows[column], y=rows["unit"], mode="markers", name=f"{year}年",
                           marker=dict(size=14, color=color),
                           hovertemplate="%{y} " + f"{year}年" + "：%{x}项<extra></extra>")
    figure.update_layout(xaxis_title="任务数（项）", yaxis_title=None)
    return styled(figure, title, bar_height(len(rows)))
