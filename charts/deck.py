"""The chart of a meeting slide (loaders.meeting.deck.Bars) as a plotly figure, sized for a projector."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.theme import plain, styled
from loaders.vocabulary import PAIR_COLORS, ROLE_COLORS, SCOPE_COLORS, STATUS_COLORS

# from/to are the earlier and later year of a target change; statuses are the 进度亮灯 series
SERIES_COLORS = {**SCOPE_COLORS, **ROLE_COLORS, "from": PAIR_COLORS[0], "to": PAIR_COLORS[1], **STATUS_COLORS}
SLIDE_FONT = 22
PER_BAR = 36  # px per category; MAX_BARS categories fit below the slide title at 1366×768
CHART_EXTRA = 150  # px for the axis title, tick labels and the legend


def slide_height(n_categories: int, stacked: bool = True) -> int:
    """Return the chart height in px: the same for every slide of a view, so continued slides look alike."""
    from loaders.meeting.deck import MAX_BARS

    per = PER_BAR if stacked else PER_BAR + 2
    return max(n_categories, min(MAX_BARS, 6)) * per + CHART_EXTRA


def slide_bars(bars, title: str = "") -> go.Figure:
    """Return horizontal bars (stacked or grouped), categories top to bottom as on the slide, with a legend."""
    categories = plain(_series(bars.categories)).tolist()
    figure = go.Figure()
    # grouped horizontal bars draw the first trace lowest: added last to first, the first series is on top
    for series in (bars.series if bars.stacked else bars.series[::-1]):
        text = list(series.labels) or [(f"{v:g}" if v else "") for v in series.values]
        figure.add_bar(y=categories, x=list(series.values), name=plain(series.name), orientation="h",
                       marker_color=SERIES_COLORS.get(series.key), text=plain(_series(text)).tolist(),
                       textposition="inside" if bars.stacked else "outside", insidetextanchor="middle",
                       cliponaxis=False, hovertemplate="%{y}：%{text}<extra>" + plain(series.name) + "</extra>")
    figure.update_layout(barmode="stack" if bars.stacked else "group", xaxis_title=plain(bars.axis_title),
                         yaxis_title=None, showlegend=True,
                         yaxis=dict(categoryorder="array", categoryarray=categories[::-1]),
                         margin=dict(l=10, r=60, t=10 if not title else 60, b=110),
                         bargap=0.25 if bars.stacked else 0.12,
                         legend=dict(traceorder="normal" if bars.stacked else "reversed"),
                         uniformtext=dict(minsize=SLIDE_FONT - 6, mode="show"))  # never shrunk to the bar
    if bars.top > 0:  # one scale for a view's continued slides; room for the labels outside grouped bars
        figure.update_xaxes(range=[0, bars.top * (1.06 if bars.stacked else 1.18)])
    figure = styled(figure, title, slide_height(len(categories), bars.stacked))
    figure.update_layout(font=dict(size=SLIDE_FONT), legend=dict(font=dict(size=SLIDE_FONT)))
    figure.update_xaxes(tickfont=dict(size=SLIDE_FONT - 2), title_font=dict(size=SLIDE_FONT))
    figure.update_yaxes(tickfont=dict(size=SLIDE_FONT))
    figure.update_traces(textfont=dict(size=SLIDE_FONT - 2 if bars.stacked else SLIDE_FONT - 6))
    return figure


def _series(values):
    import pandas as pd

    return pd.Series(list(values), dtype="string").fillna("")
