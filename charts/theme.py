"""One plotly template for every chart: Chinese fonts, projector-sized text, fixed colours."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio
from loaders.vocabulary import SCOPE_COLORS

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
TEMPLATE_NAME = "work_report"


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
# every figure starts with the shared template: assigning it to each figure would copy and check the
# whole template for every chart
pio.templates.default = TEMPLATE_NAME


def plain(values):
    """Return text (a string or a Series) that plotly shows literally.

    Plotly reads a few HTML tags in labels and hover text (<b>, <a href>, <br>);
    names and task text are data, so their <, > and & become entities.
    """
    if isinstance(values, str):
        return html.escape(values, quote=False)
    return values.astype(str).map(lambda value: html.escape(value, quote=False))


# A title line holds at most this many full-width characters of the title font (21 px): the width of a chart
# on a 390 px phone. Plotly never wraps a title, so a longer one is broken at natural points (title_lines).
TITLE_LINE = 16
TITLE_LINE_PX = 28  # what one more title line takes from the top of the plot (plotly's <br> spacing at 21 px)
# plotly draws a title of several lines anchored at its top about 0.7em higher than one of one line (cut off at
# the top of a short chart); this padding puts its first line where a one-line title is
TITLE_LINES_PAD = 16
BREAK_AFTER = "：:，,；;"
BREAK_BEFORE = "（("
CLOSING = {"（": "）", "(": ")"}


def text_width(text: str) -> float:
    """Return the width of text in full-width characters (Latin letters, digits and spaces are about half)."""
    return sum(0.55 if ord(char) < 0x2E80 and char != "→" else 1.0 for char in text)


def _pieces(title: str) -> list[str]:
    """Return the title cut after "：" / "，" and before "（", never inside brackets."""
    pieces, current, closing = [], "", ""
    for char in title:
        if char in BREAK_BEFORE and not closing and current:
            pieces.append(current)
            current = ""
        current += char
        if char in CLOSING and not closing:
            closing = CLOSING[char]
        elif char == closing:
            closing = ""
        elif char in BREAK_AFTER and not closing:
            pieces.append(current)
            current = ""
    return pieces + [current] if current else pieces


def title_lines(title: str, width: float = TITLE_LINE) -> list[str]:
    """Return the lines of a title: as many pieces as fit a phone-wide line on each (a piece is never split)."""
    lines: list[str] = []
    for piece in _pieces(title):
        if lines and text_width(lines[-1] + piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return [line.strip() for line in lines] or [""]


def _title(title: str) -> tuple[dict, int]:
    """Return the layout title (literal, broken into lines) and the pixels its extra lines take."""
    lines = title_lines(title)
    extra = (len(lines) - 1) * TITLE_LINE_PX
    return dict(text="<br>".join(plain(line) for line in lines), pad=dict(t=TITLE_LINES_PAD if extra else 0)), extra


def styled(figure: go.Figure, title: str, height: int | None = None) -> go.Figure:
    """Return the figure (made with the shared template) with its title (literal, broken into lines) and a height.

    Each extra title line makes the top margin and the chart (when a height is given) taller by one line,
    so the plot keeps its room.
    """
    title_layout, extra = _title(title)
    top = figure.layout.margin.t
    top = pio.templates[TEMPLATE_NAME].layout.margin.t if top is None else top
    # the template itself is plotly's default from here on (above): every figure was made with it
    figure.update_layout(title=title_layout, margin=dict(t=top + extra))
    figure.update_traces(textangle=0, selector=dict(type="bar"))
    if height:
        figure.update_layout(height=height + extra)
    return figure


NARROW_LABEL_SHARE = 0.08  # on a phone, a segment shorter than this share of the longest bar shows no number


def bar_figure(bars: list[dict], layout: dict, title: str, height: int, count_axis: str = "x",
               highlight: str | None = None, narrow: bool = False) -> go.Figure:
    """Return bars made from plain trace dicts, styled as styled() and whole_number_ticks() style a figure.

    For the bar charts a new filter state draws first (the leader and unit bars): plotly's
    objects validate every property, the largest part of a new state's work (docs/性能.md).
    The dicts here are taken as they are; tests/test_daily_use.py checks that they pass
    plotly's validation all the same. `highlight`: the name (first customdata field) whose
    segments stay coloured after a click on one of them. `narrow` (a phone): numbers too small to
    read are left out of their segments.
    """
    title_layout, extra = _title(title)
    traces = [{"type": "bar", **bar, "textangle": 0} for bar in bars]
    if narrow and count_axis == "x":  # a phone: a number in a sliver of a segment cannot be read, leave it out
        totals: dict = {}
        for trace in traces:
            for name, value in zip(trace["y"], trace["x"]):
                totals[name] = totals.get(name, 0) + value
        shortest = NARROW_LABEL_SHARE * max(totals.values(), default=0)
        for trace in traces:
            trace["text"] = [text if value >= shortest else "" for text, value in zip(trace["text"], trace["x"])]
    # every segment of the picked bar stays coloured, the others fade (a name not drawn fades nothing)
    if highlight is not None and any(data[0] == highlight for trace in traces for data in trace["customdata"]):
        for trace in traces:
            trace["selectedpoints"] = [i for i, data in enumerate(trace["customdata"]) if data[0] == highlight]
            trace["unselected"] = {"marker": {"opacity": 0.3}}
    axis = f"{count_axis}axis"
    layout = {**layout, "title": title_layout, "height": height + extra,
              "margin": {"t": pio.templates[TEMPLATE_NAME].layout.margin.t + extra},
              axis: {**layout.get(axis, {}), **_whole_number_options(
                  (trace["y"] if count_axis == "x" else trace["x"], trace[count_axis]) for trace in traces)}}
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def whole_number_ticks(figure: go.Figure, axis: str = "x") -> go.Figure:
    """Return the figure with ticks only at whole numbers on its count axis (no 0.5 tasks)."""
    options = _whole_number_options((trace.y if axis == "x" else trace.x, trace.x if axis == "x" else trace.y)
                                    for trace in figure.data if trace.type == "bar")
    figure.update_xaxes(**options) if axis == "x" else figure.update_yaxes(**options)
    return figure


def _whole_number_options(bars) -> dict:
    """Return the count axis settings for bars given as (categories, counts) pairs: whole-number ticks.

    Plotly steps by 0.5 when the longest (stacked) bar is short; below 8 the step is set to 1,
    above it plotly's own steps (2, 5, 10 …) are whole already.
    """
    totals: dict = {}
    for keys, values in bars:
        for key, value in zip(keys if keys is not None else range(len(values)), values):
            totals[key] = totals.get(key, 0) + (value or 0)
    longest = max(totals.values(), default=0)
    options = dict(tickformat=",d", rangemode="tozero")
    if longest < 8:
        options.update(tick0=0, dtick=1)
    return options


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
