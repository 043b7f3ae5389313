"""Showing data literally: tables with Chinese headers, text never as markdown or HTML."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.theme import for_projector
from loaders.select import KIND_LABELS, QUALIFIER_LABELS, ROLE_LABELS, SCOPE_LABELS, Filters
from ui.data import analysed, data_key

COLUMN_LABELS = {
    "label": "任务", "task_id": "任务编号", "year": "年度", "doc_no": "文号", "scope": "表格",
    "section": "板块/分组", "subsection": "小节", "seq": "序号", "project": "项目名称",
    "content": "任务内容", "leaders": "牵头领导", "units": "责任单位", "lead_units": "牵头单位",
    "support_units": "配合单位", "note": "备注", "unit": "单位", "category": "单位类别",
    "lead": "牵头（项）", "support": "配合（项）", "total": "合计（项）", "tasks": "任务数（项）",
    "metric": "指标", "value": "目标值", "unit_of_measure": "计量单位", "qualifier": "限定",
    "phrase": "原句", "kind": "类型", "leader": "领导", "title": "职务", "role": "角色",
    "district": "区县", "who": "名称",
}


def empty_message(what: str = "当前筛选条件下没有任务") -> None:
    """Say that nothing is selected, instead of drawing an empty chart."""
    st.info(f"{what}。请在左侧放宽筛选条件（年度、表格或牵头领导）。", icon=":material/filter_alt_off:")


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(_builder, name: str, args: tuple, options: tuple, projector: bool) -> go.Figure:
    figure = _builder(*args, **dict(options))
    return for_projector(figure) if projector else figure


def figure_of(builder, *args, projector: bool = False, **options) -> go.Figure:
    """Return builder(*args, **options), built once per distinct input and shared by every session.

    Building a plotly figure (traces, validation) costs 10–40 ms, more than the
    cached aggregation it draws (measured in bench/). The inputs are small
    aggregated frames, hashed by content; the figure is never modified after
    it is built (st.plotly_chart only reads it), so one object can be shared.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"  # the cache key; the function itself is not hashable
    return _figure(builder, name, args, tuple(sorted(options.items())), projector)


def chart(builder, *args, key: str | None = None, projector: bool = False, **options) -> None:
    """Show the plotly figure builder(*args) with the shared template (the Streamlit theme would override it)."""
    _show_figure(figure_of(builder, *args, projector=projector, **options), key)


def _show_figure(figure: go.Figure, key: str | None) -> None:
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config={"displaylogo": False, "locale": "zh-CN"})


@st.cache_resource(max_entries=256, show_spinner=False)
def _analysed_figure(_builder, name: str, analysis: str, filters: Filters, args: tuple, options: tuple,
                     data_version: str) -> go.Figure:
    # name and data_version only key the cache: the builder itself is not hashable, and a
    # new data version (an import, a restore) must build the figure again
    return _builder(analysed(analysis, filters, *args), **dict(options))


def analysed_chart(builder, analysis: str, filters: Filters, *args, key: str | None = None, **options) -> None:
    """Show builder(analysed(analysis, filters, *args), **options), built once per filter state.

    Like chart(), but the cache key is the filter state (a few small values), not
    the content of the aggregated frame: hashing a wide frame for the key cost
    more than drawing it on a page with several charts (量化指标, bench/).
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    _show_figure(_analysed_figure(builder, name, analysis, filters, tuple(args), tuple(sorted(options.items())),
                                  data_key()), key)


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None, height: int | str = "auto",
          wide_text: tuple[str, ...] = ("content", "phrase", "note")) -> None:
    """Show a frame as a table with Chinese headers; codes become words; text stays literal."""
    labels = {**COLUMN_LABELS, **(columns or {})}
    shown = frame.copy()
    for prefix, words in (("scope", SCOPE_LABELS), ("role", ROLE_LABELS), ("kind", KIND_LABELS),
                          ("qualifier", QUALIFIER_LABELS)):
        for column in [c for c in shown.columns if c.startswith(prefix)]:
            shown[column] = shown[column].map(words).fillna(shown[column])
    text_columns = shown.select_dtypes(include=["object", "string"]).columns
    shown[text_columns] = shown[text_columns].fillna("—")
    config = {c: st.column_config.TextColumn(labels.get(c, c), width="large") for c in wide_text if c in shown}
    shown = shown.rename(columns=labels)
    config = {labels.get(c, c): v for c, v in config.items()}
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config)


TASKS_PAGE = "pages/tasks.py"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def literal(text: str) -> str:
    """Return text with markdown characters escaped, for labels that Streamlit renders as markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def drill_link(name: str, param: str) -> None:
    """Show a link that opens the task list filtered to one leader or unit (other filters kept)."""
    st.page_link(TASKS_PAGE, label="打开任务明细：" + literal(name), icon=":material/open_in_new:",
                 query_params={param: name})


def _remember(param: str, name: str) -> None:
    # a widget callback runs before the script, the one moment the sidebar leader may be set
    st.session_state[param] = name
    st.session_state[_PICKED] = (param, name)


_PICKED = "_drill_picked"


def drill_chart(builder, *args, key: str, param: str) -> None:
    """Show a bar chart; clicking a bar selects that leader or unit and links to its task list.

    The first customdata field of each bar holds the name. (st.switch_page cannot
    be used: in Streamlit 1.67 it refuses to clear URL parameters bound to widgets.)
    """

    def picked() -> None:
        points = st.session_state[key].selection.points
        if points and points[0].get("customdata"):
            _remember(param, points[0]["customdata"][0])

    st.plotly_chart(figure_of(builder, *args), theme=None, width="stretch", key=key, on_select=picked,
                    selection_mode="points",
                    config={"displaylogo": False, "locale": "zh-CN"})


def drill_picker(label: str, names: list[str], key: str, param: str) -> None:
    """Offer the same drill-down as a selectbox; shows the link for a bar clicked above too."""

    def picked() -> None:
        if st.session_state[key]:
            _remember(param, st.session_state[key])

    st.selectbox(label, names, index=None, placeholder="选择后出现任务明细链接", key=key, on_change=picked)
    _show_picked(param)


def _show_picked(param: str) -> None:
    picked = st.session_state.get(_PICKED)
    if picked and picked[0] == param:
        drill_link(picked[1], param)


def caption(text: str) -> None:
    """Show a small note whose text may contain data, with markdown characters escaped."""
    st.caption(literal(text))
