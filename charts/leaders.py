"""Charts of who carries which tasks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.theme import bar_figure, bar_height, plain, styled, whole_number_ticks
from loaders.vocabulary import SCOPE_COLORS, SCOPE_LABELS


def tasks_per_leader_bar(per_leader: pd.DataFrame, title: str, highlight: str | None = None,
                         narrow: bool = False) -> go.Figure:
    """Return horizontal bars of tasks per leader, stacked by table (annual / five-year / livelihood).

    A bar is one leader in one year (`who`): several years stand side by side,
    latest year on top, each ranked on its own. Rows of one bar and table are added up.
    """
    who = (per_leader["who"] if "who" in per_leader else per_leader["leader"]).tolist()
    order = [plain(name) for name in reversed(list(dict.fromkeys(who)))]  # analysis order: year, then load
    bars: dict[str, dict[tuple[str, str], list]] = {scope: {} for scope in SCOPE_LABELS}
    for scope, name, leader, tasks, hover in zip(per_leader["scope"].tolist(), who, per_leader["leader"].tolist(),
                                                 per_leader["tasks"].tolist(), per_leader["hover"].tolist()):
        bar = bars[scope].setdefault((name, leader), [0, []])
        bar[0] += tasks
        bar[1].append(hover)
    traces = []
    for scope, label in SCOPE_LABELS.items():
        rows = sorted(bars[scope].items())  # by name, as plotly lists them; the axis keeps `order`
        if not rows:
            continue
        traces.append(dict(
            y=[plain(name) for (name, _), _ in rows], x=[tasks for _, (tasks, _) in rows], name=label,
            orientation="h", marker=dict(color=SCOPE_COLORS[scope]),
            customdata=[[leader, "<br>".join(hovers)] for (_, leader), (_, hovers) in rows],
            text=[tasks for _, (tasks, _) in rows], textposition="inside", insidetextanchor="middle",
            hovertemplate="<b>%{y}</b> " + label + "：%{x}项<br>%{customdata[1]}<extra></extra>"))
    layout = dict(barmode="stack", xaxis=dict(title=dict(text="任务数（项）")),
                  yaxis=dict(categoryorder="array", categoryarray=order))
    return bar_figure(traces, layout, title, bar_height(len(order)), highlight=highlight, narrow=narrow)


def leader_unit_heatmap(matrix: pd.DataFrame, title: str) -> go.Figure:
    """Return a heat map of tasks shared by each unit (rows) and leader (columns).

    The leaders stand left to right in the order of the leader bars (top to bottom),
    as leader_unit_matrix returns them; cells without a shared task are left blank.
    """
    matrix = matrix.T
    figure = go.Figure(go.Heatmap(
        z=matrix.values, x=plain(matrix.columns.to_series()).tolist(), y=plain(matrix.index.to_series()).tolist(),
        # an empty cell stays blank: a grid of zeros hid the few shared tasks
        colorscale="Blues", text=matrix.where(matrix > 0, "").values, texttemplate="%{text}", textfont=dict(size=13),
        hovertemplate="%{x} × %{y}：%{z}项<extra></extra>", colorbar=dict(title=dict(text="任务数")),
    ))
    # many leaders (or leaders of several years, 林杰（2022年）) no longer fit side by side
    figure.update_layout(xaxis=dict(side="top", tickangle=0 if len(matrix.columns) <= 10 else -45),
                         yaxis=dict(autorange="reversed"))
    return styled(figure, title, bar_height(len(matrix), per_bar=34, extra=160))


def leader_years_bar(across: pd.DataFrame, title: str) -> go.Figure:
    """Return grouped bars of a leader's tasks per notice year, stacked by table."""
    figure = go.Figure()
    across = across.sort_values(["leader", "year"]).assign(
        who=plain(across["leader"]) + " " + across["year"].astype(str) + "年")
    for scope, label in SCOPE_LABELS.items():
        rows = across[across["scope"] == scope]
        if rows.empty:
            continue
        figure.add_bar(x=rows["who"], y=rows["tasks"], name=label, marker_color=SCOPE_COLORS[scope],
                       text=rows["tasks"], textposition="inside",
                       hovertemplate="%{x} " + label + "：%{y}项<extra></extra>")
    figure.update_layout(barmode="stack", yaxis_title="任务数（项）", xaxis_title=None)
    return whole_number_ticks(styled(figure, title, 380), "y")
