"""One plotly template for every chart: Chinese fonts, projector-sized text, fixed colours."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
TEMPLATE_NAME = "work_report"

SCOPE_COLORS = {"annual": "#1f5fa8", "five_year": "#e08a1e", "livelihood": "#2a9d5b"}
ROLE_COLORS = {"lead": "#1f5fa8", "support": "#9cc3e6"}
PAIR_COLORS = ("#9aa5b1", "#1f5fa8")  # the earlier and the later of two compared years
DIRECTION_COLORS = {"raised": "#2a9d5b", "lowered": "#c0392b", "unchanged": "#7f8c8d"}
PLACEHOLDER_COLOR = "#b0b0b0"

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=dict(
        font=dict(family=FONT_FAMILY, size=16, color="#1b1f24"),
        title=dict(font=dict(size=21), x=0, xanchor="left", y=0.98, yanchor="top"),
        # below the chart, so a legend that wraps on a narrow screen never covers the title
        legend=dict(font=dict(size=15), orientation="h", yref="container", yanchor="bottom", y=0.005,
                    xanchor="left", x=0, title=dict(text=""), traceorder="normal"),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=15), align="left"),
        xaxis=dict(title=dict(font=dict(size=16)), tickfont=dict(size=15), gridcolor="#e5e8ec", zeroline=False,
                   automargin=True),
        yaxis=dict(title=dict(font=dict(size=16)), tickfont=dict(size=15), gridcolor="#e5e8ec",
                   automargin=True),
        colorway=list(SCOPE_COLORS.values()) + ["#7b4fa0", "#c0392b", "#16a085"],
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin=dict(l=10, r=20, t=70, b=100),
        separators=".,",
    )
)


def plain(values):
    """Return text (a string or a Series) that plotly shows literally.

    Plotly reads a few HTML tags in labels and hover text (<b>, <a href>, <br>);
    names and task text are data, so their <, > and & become entities.
    """
    if isinstance(values, str):
        return html.escape(values, quote=False)
    return values.astype(str).map(lambda value: html.escape(value, quote=False))


def styled(figure: go.Figure, title: str, height: int | None = None) -> go.Figure:
    """Return the figure with the shared template, its title and (optionally) a height."""
    figure.update_layout(template=TEMPLATE_NAME, title=dict(text=plain(title)))
    figure.update_traces(textangle=0, selector=dict(type="bar"))
    if height:
        figure.update_layout(height=height)
    return figure


def bar_height(n_bars: int, per_bar: int = 34, minimum: int = 360, extra: int = 190) -> int:
    """Return a chart height that keeps every horizontal bar's label readable."""
    return max(minimum, n_bars * per_bar + extra)


def for_projector(figure: go.Figure) -> go.Figure:
    """Return the figure with the larger type used in review-meeting mode."""
    figure.update_layout(font=dict(size=20), title=dict(font=dict(size=26)), legend=dict(font=dict(size=19)),
                         hoverlabel=dict(font=dict(size=18)))
    figure.update_xaxes(tickfont=dict(size=19), title_font=dict(size=20))
    figure.update_yaxes(tickfont=dict(size=19), title_font=dict(size=20))
    figure.update_traces(textfont=dict(size=18), selector=dict(type="bar"))
    figure.update_traces(textfont=dict(size=18), marker=dict(size=20), selector=dict(mode="markers+text"))
    return figure
