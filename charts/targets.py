"""Charts of quantitative targets and how they changed year on year."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.theme import bar_height, plain, styled
from loaders.vocabulary import DIRECTION_COLORS, DIRECTION_LABELS, PAIR_COLORS, QUALIFIER_LABELS


def change_dumbbell(changes: pd.DataFrame, title: str, log_scale: bool = False, narrow: bool = False) -> go.Figure:
    """Return a dumbbell chart: each metric's earlier and later target joined by a line.

    Growth rates (%) and counts are drawn in separate figures so that neither
    scale flattens the other; counts spanning several orders use a log axis.
    `narrow` (a phone): each metric's name is written above its line, so the
    dumbbells and their value labels get the whole width instead of a third of it.
    """
    rows = changes.iloc[::-1]
    names = plain(rows["metric"] + "（" + rows["unit"] + "）")
    figure = go.Figure()
    for direction, color in DIRECTION_COLORS.items():
        # one trace per colour; None breaks the line between metrics
        same = rows["direction"] == direction
        xs, ys = [], []
        for name, a, b in zip(names[same], rows.loc[same, "value_from"], rows.loc[same, "value_to"]):
            xs += [a, b, None]
            ys += [name, name, None]
        if xs:
            figure.add_scatter(x=xs, y=ys, mode="lines", showlegend=False, hoverinfo="skip",
                               line=dict(color=color, width=5))
    for year_column, value_column, qualifier_column, task_column, other_column, color in (
            ("year_from", "value_from", "qualifier_from", "label_from", "value_to", PAIR_COLORS[0]),
            ("year_to", "value_to", "qualifier_to", "label_to", "value_from", PAIR_COLORS[1])):
        year = int(rows[year_column].iloc[0]) if len(rows) else 0
        qualifiers = rows[qualifier_column].map(QUALIFIER_LABELS)
        # the smaller of the two values is labelled on its left, the larger on its right
        positions = ["middle left" if v < o or (v == o and value_column == "value_from") else "middle right"
                     for v, o in zip(rows[value_column], rows[other_column])]
        figure.add_scatter(
            x=rows[value_column], y=names, mode="markers+text", name=f"{year}年目标",
            marker=dict(size=16, color=color),
            text=[_plain(v) + q for v, q in zip(rows[value_column], qualifiers)],
            textposition=positions, textfont=dict(size=14),
            customdata=pd.concat([plain(rows[task_column]), rows["direction"].map(DIRECTION_LABELS)], axis=1),
            hovertemplate="%{y}<br>" + f"{year}年" + "：%{text}<br>任务 %{customdata[0]}<extra></extra>",
        )
    figure.update_layout(xaxis_title="目标值" + ("（对数刻度）" if log_scale else ""), yaxis_title=None,
                         margin=dict(l=10, r=20 if narrow else 90, t=70, b=100))
    if narrow:
        figure.update_yaxes(showticklabels=False)
        # given all at once: add_annotation() checks every earlier one again (seconds for a hundred metrics)
        figure.update_layout(annotations=[dict(x=0, xref="paper", xanchor="left", y=name, yref="y", yshift=22,
                                               text=name, showarrow=False, font=dict(size=14)) for name in names])
    values = pd.concat([rows["value_from"], rows["value_to"]])
    share = 0.25 if narrow else 0.12  # room for the value labels beside the outer dots
    if log_scale:
        low, high = math.log10(max(values.min(), 0.1)), math.log10(max(values.max(), 1))
        pad = (high - low) * share + 0.1
        # ticks at 1, 10, 100, 1,000 … written out in full (not 10k, nor the 2 and 5 between decades)
        figure.update_xaxes(type="log", range=[low - pad, high + pad], dtick=1, exponentformat="none",
                            separatethousands=True)
    elif len(values):
        pad = (values.max() - values.min()) * share + 1
        figure.update_xaxes(range=[values.min() - pad, values.max() + pad])
    return styled(figure, title, bar_height(len(rows), per_bar=72 if narrow else 48))


def _plain(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")
