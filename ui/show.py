"""Showing data literally: tables with Chinese headers, text never as markdown or HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from charts.theme import for_projector
from loaders.select import KIND_LABELS, QUALIFIER_LABELS, ROLE_LABELS, SCOPE_LABELS, Filters
from ui.data import MISSING, RecentValues, analysed, data_key, is_shared_result, shared

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


# where a unit's role was read: the 责任单位 column of the table, or the remark under it
SOURCE_LABELS = {"table": "责任单位栏", "note": "备注"}


def empty_message(what: str = "当前筛选条件下没有任务", filters: Filters | None = None,
                  own: tuple[str, ...] = ()) -> None:
    """Say that nothing is selected, instead of drawing an empty chart, and name the filters that caused it.

    `filters` are the sidebar filters (given only on pages that have the sidebar),
    `own` the names of this page's filters in effect. Without either the message
    names no place: pages without a sidebar (汇报模式) must not point to one.
    """
    causes = []
    if filters is not None:
        causes += ["左侧“年度”"] if filters.years else []
        causes += ["左侧“表格”"] if filters.scopes else []
        causes += [f"左侧“牵头领导”（{filters.leader}）"] if filters.leader else []
    causes += [f"本页“{name}”" for name in own]
    hint = "可放宽：" + "、".join(causes) + "，或点“清除筛选”。" if causes else "请放宽所选条件。"
    st.info(literal(f"{what}。{hint}"), icon=":material/filter_alt_off:")


def _build_figure(builder, args: tuple, options: tuple, projector: bool) -> go.Figure:
    figure = builder(*args, **dict(options))
    return SharedFigure.of(for_projector(figure) if projector else figure)


class SharedFigure(go.Figure):
    """A built figure that every session draws and none modifies: its dict is made once.

    st.plotly_chart turns a figure into JSON through figure.to_dict(), a deep copy of
    every trace and of the layout, on every run: 7% of the server's CPU per run
    (py-spy, bench/load.py) for figures that never change. Here to_dict() returns the
    dict made when the figure was shared (trace uids left out, as plotly.io.to_json
    does); it is read, never changed, by the JSON encoder. Do not modify a SharedFigure.
    """

    @classmethod
    def of(cls, figure: go.Figure) -> "SharedFigure":
        """Return the figure itself, now shared. Not a copy: making one validated every property
        again, 6 ms a figure, for each new filter state (bench/load.py at ×100)."""
        shared = figure.to_dict()  # exactly what st.plotly_chart would have sent for the figure itself
        for trace in shared.get("data", []):
            trace.pop("uid", None)
        figure.__class__ = cls
        figure.__dict__["_shared_dict"] = shared
        return figure

    def to_dict(self) -> dict:
        return self.__dict__.get("_shared_dict") or super().to_dict()


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(_builder, name: str, args: tuple, options: tuple, projector: bool) -> go.Figure:
    return _build_figure(_builder, args, options, projector)


class _ByIdentity:
    """Values computed from the very same argument objects, found by identity (no content hashing).

    The arguments are kept with the value, so an id is never reused for another
    object while its entry exists; bounded, the least recently used entry goes first.
    Only for shared, never-modified inputs (ui.data.is_shared_result).
    """

    def __init__(self, size: int) -> None:
        self._entries = RecentValues(size)  # key → (arguments, value)

    def get(self, key: tuple, args: tuple):
        hit = self._entries.get(key)
        if hit is MISSING or not all(a is b or (_plain_key(a) and a == b) for a, b in zip(hit[0], args, strict=True)):
            return None
        return hit[1]

    def put(self, key: tuple, args: tuple, value) -> None:
        self._entries.put(key, (args, value))


def _plain(value) -> bool:
    """Return whether a value is a small immutable (a title, a count) that is keyed by its value, not its identity."""
    return value is None or isinstance(value, (str, int, float, bool))


_FIGURES = _ByIdentity(2048)
_TABLES = _ByIdentity(2048)


_DERIVED = _ByIdentity(1024)


def derived(build, source, *more):
    """Return build(source, *more), worked out once per shared result (ui.data) and made anew for anything else.

    For what a page makes of a shared result on every run (a display table, a view
    with words for codes, the task list joined with the shared progress board): the
    same source object (and the same shared or plain `more`) gives the same value to
    every session. build must be a module-level function, its value never modified.
    """
    inputs = (source, *more)
    if not is_shared_result(source) or not all(is_shared_result(m) or _plain_key(m) for m in more):
        return build(*inputs)
    key = (f"{build.__module__}.{build.__qualname__}", *(m if _plain_key(m) else id(m) for m in inputs))
    value = _DERIVED.get(key, inputs)
    if value is None:
        value = shared(build(*inputs))  # itself shared: a chart of it is found by identity too
        _DERIVED.put(key, inputs, value)
    return value


def _plain_key(value) -> bool:
    """Return whether a value is keyed by its value: a plain value or a tuple of them (e.g. chosen codes)."""
    return _plain(value) or (isinstance(value, tuple) and all(map(_plain, value)))


def figure_of(builder, *args, projector: bool = False, **options) -> go.Figure:
    """Return builder(*args, **options), built once per distinct input and shared by every session.

    Building a plotly figure (traces, validation) costs 10–40 ms, more than the
    cached aggregation it draws (measured in bench/). The inputs are small
    aggregated frames, hashed by content; the figure is never modified after
    it is built (st.plotly_chart only reads it), so one object can be shared.
    Most inputs are themselves shared results (ui.data.analysed returns the same
    object for the same filter state), and hashing their content on every rerun
    was a fifth of the server's CPU with 50 sessions (bench/load.py): the very
    same objects are looked up by identity (titles and counts by value), and a
    figure of results not seen before (a new filter state) is built without
    hashing them at all. Other inputs (made for this run, e.g. frame.head(10))
    are still found by content.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"  # the cache key; the function itself is not hashable
    settings = tuple(sorted(options.items()))
    data = [a for a in args if not _plain(a)]
    if not (data and all(map(is_shared_result, data))):
        return _figure(builder, name, args, settings, projector)  # e.g. frame.head(10): new each run
    key = (name, tuple(a if _plain(a) else id(a) for a in args), settings, projector)
    try:
        figure = _FIGURES.get(key, args)
    except TypeError:  # an unhashable option: by content only
        return _figure(builder, name, args, settings, projector)
    if figure is None:
        # a result not drawn before (a new filter state): hashing its content would only find no figure
        figure = _build_figure(builder, args, settings, projector)
        _FIGURES.put(key, args, figure)
    return figure


def chart(builder, *args, key: str | None = None, projector: bool = False, **options) -> None:
    """Show the plotly figure builder(*args) with the shared template (the Streamlit theme would override it)."""
    _show_figure(figure_of(builder, *args, projector=projector, **options), key)


def _show_figure(figure: go.Figure, key: str | None) -> None:
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config=PLOTLY_CONFIG)


# no plotly toolbar: it covered chart titles on phones and speaks English; the
# table and page downloads are the way to take data away
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "zh-CN"}


@st.cache_resource(max_entries=256, show_spinner=False)
def _analysed_figure(_builder, name: str, analysis: str, filters: Filters, args: tuple, options: tuple,
                     data_version: str) -> go.Figure:
    # name and data_version only key the cache: the builder itself is not hashable, and a
    # new data version (an import, a restore) must build the figure again
    return SharedFigure.of(_builder(analysed(analysis, filters, *args), **dict(options)))


def analysed_chart(builder, analysis: str, filters: Filters, *args, key: str | None = None, **options) -> None:
    """Show builder(analysed(analysis, filters, *args), **options), built once per filter state.

    Like chart(), but the cache key is the filter state (a few small values), not
    the content of the aggregated frame: hashing a wide frame for the key cost
    more than drawing it on a page with several charts (量化指标, bench/).
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    _show_figure(_analysed_figure(builder, name, analysis, filters, tuple(args), tuple(sorted(options.items())),
                                  data_key()), key)


EMPTY_TABLE = "（没有记录）"


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None, height: int | str = "auto",
          wide_text: tuple[str, ...] = ("content", "phrase", "note"), only: list[str] | None = None) -> None:
    """Show a frame as a table with Chinese headers; codes become words; text stays literal.

    `only`: the columns to show, in this order (chosen here rather than by the caller,
    so that a shared result is still recognised and prepared once). An empty frame is said
    in words: Streamlit draws an empty table with the English word "empty" in it.
    """
    if frame.empty:
        st.text(EMPTY_TABLE)
        return
    if not is_shared_result(frame):  # made for this run (a merge, a filter): prepared each time
        prepared = _prepared_table(frame, columns, wide_text, only)
    else:  # a result of ui.data.analysed, the same object for every session: prepared once
        key = (id(frame), tuple(sorted((columns or {}).items())), wide_text, tuple(only or ()))
        prepared = _TABLES.get(key, (frame,))
        if prepared is None:
            prepared = _prepared_table(frame, columns, wide_text, only)
            _TABLES.put(key, (frame,), prepared)
    shown, config = prepared
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config)


_WORDS = (("scope", SCOPE_LABELS), ("role", ROLE_LABELS), ("kind", KIND_LABELS),
          ("qualifier", QUALIFIER_LABELS), ("source", SOURCE_LABELS))
_DATES = ("signed_date", "issued_date")


def _prepared_table(frame: pd.DataFrame, columns: dict[str, str] | None,
                    wide_text: tuple[str, ...], only: list[str] | None = None) -> tuple[pa.Table | pd.DataFrame, dict]:
    # column by column into one new frame: copying the whole frame, then renaming and filling it,
    # was 3 ms a table through pandas, and a leader's portfolio shows five (bench/load.py at ×100)
    labels = {**COLUMN_LABELS, **(columns or {})}
    shown = {}
    for name in (only if only is not None else frame.columns):
        column = frame[name]
        words = next((words for prefix, words in _WORDS if name.startswith(prefix)), None)
        if words is not None:
            column = column.map(words).fillna(column)
        if name in _DATES:  # a notice that prints no date: never invented
            column = column.replace("", "未注明")
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            column = column.fillna("—")
        header = labels.get(name, name)
        if header in shown:  # two columns under one header: one would be lost silently
            raise ValueError(f"两列的表头相同：{header}")
        shown[header] = column
    config = {labels.get(c, c): st.column_config.TextColumn(labels.get(c, c), width="large")
              for c in wide_text if c in frame.columns and (only is None or c in only)}
    return as_arrow(pd.DataFrame(shown, index=frame.index, copy=False)), config


def as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """Return a table for st.dataframe as Arrow, so that one prepared once is also converted once (index left out).

    A column Arrow cannot hold as it is (a number and a word in one column) stays a
    frame: Streamlit's own conversion fixes its types.
    """
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


TASKS_PAGE = "pages/tasks.py"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def literal(text: str) -> str:
    """Return text with markdown characters escaped, for labels that Streamlit renders as markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def drill_link(name: str, param: str) -> None:
    """Show a link that opens the task list filtered to one leader or unit (other filters kept).

    The link carries that one parameter once; the sidebar filters of this session
    (区县, 年度, 表格) travel with the session, not with the link.
    """
    st.page_link(TASKS_PAGE, label="打开任务明细：" + literal(name), icon=":material/open_in_new:",
                 query_params={param: name})


def _picks() -> dict[str, str]:
    # what was picked on each drill-down chart of this session, by chart key; never a filter
    return st.session_state.setdefault(_PICKED, {})


_PICKED = "_drill_picked"


def drill_chart(builder, *args, key: str, param: str, names: list[str] | None = None,
                picker_label: str | None = None, focus_key: str | None = None,
                opens: tuple[str, str] | None = None, **options) -> str | None:
    """Show builder(*args, **options), a bar chart whose bars lead to their task list; return the name picked.

    Clicking a bar (or choosing a name in the optional selectbox above the chart,
    for keyboards and screen readers) shows, right above the chart, what was picked
    and a link to its tasks. Nothing else changes: the sidebar filters stay as they
    are, whichever chart was clicked. The first customdata field of each bar holds
    the name. `focus_key` names a widget of this page (e.g. the leader shown below
    the chart) that follows the pick; `opens` = (tabs key, label) is the tab of
    on_request that shows it, opened by the pick. (st.switch_page cannot be used: in Streamlit 1.67 it refuses to clear
    URL parameters bound to widgets.)
    """
    picker = key + "_picker"

    def pick(name: str) -> None:
        _picks()[key] = name
        if names is not None and name in names:
            st.session_state[picker] = name
        if focus_key is not None:
            st.session_state[focus_key] = name
        if opens is not None:
            st.session_state[opens[0]] = opens[1]

    def clicked() -> None:
        points = st.session_state[key].selection.points
        if points and points[0].get("customdata"):
            pick(points[0]["customdata"][0])

    def chosen() -> None:
        if st.session_state.get(picker):
            pick(st.session_state[picker])
        else:
            _picks().pop(key, None)

    name = _picks().get(key)
    if names is not None and name not in names:
        name = None  # picked under other filters: the bar is gone
    if names is not None and st.session_state.get(picker) not in names:
        st.session_state[picker] = None
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        if names is not None:
            st.selectbox(picker_label or "选择", names, index=None, key=picker, on_change=chosen,
                         placeholder="点击柱条或在此选择", width=280)
        if name is not None:
            drill_link(name, param)
    # the link row sits above the chart: a tall chart would push it below the first screen
    st.plotly_chart(figure_of(builder, *args, **options), theme=None, width="stretch", key=key, on_select=clicked,
                    selection_mode="points", config=PLOTLY_CONFIG)
    return name


def on_phone() -> bool:
    """Return whether the browser says it is a phone: its User-Agent has "Mobi", as phone browsers send.

    Used where what is drawn must differ, not only its layout: 任务明细's closed filter
    box, 量化指标's dumbbell with the names above the lines, and 任务明细's cards instead of the table (sending both and hiding one by width
    doubled that page's server work per run, bench/load.py); layout by width is left
    to ui/style.css.
    """
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


class Section:
    """One part of a page shown on request: `.open` says whether to compute it; `with section:` draws into it."""

    def __init__(self, label: str, is_open: bool, box) -> None:
        self.label, self.open, self._box = label, is_open, box

    def __enter__(self):
        return self._box.__enter__()

    def __exit__(self, *exc):
        return self._box.__exit__(*exc)


# the URL parameter of every on_request control (known to ui.filters; each control checks its own labels)
SECTION_KEYS = ("overview_more", "leaders_view", "units_view", "targets_view", "progress_by", "progress_list")


def on_request(labels: list[str], key: str, default: str | None = None, label: str = "更多内容",
               required: bool = False) -> list[Section]:
    """Show a row of buttons, one per part of the page below its first chart; only the chosen part is drawn.

    Heavy pages draw their first chart alone: everything else waits until it is
    asked for (measured in bench/first_chart.py: each chart or table drawn with the
    first delays it). Nothing is open unless `default` names a light part. The
    choice is in the URL (`key=标签`), so a link or a reload opens the same part; a
    label that does not exist is named in a notice and the default is opened.
    `required`: one part is always open (the default at first). A chart click may
    open a part by setting st.session_state[key] before this is called.
    """
    asked = st.query_params.get(key)
    if asked is not None and asked not in labels and st.session_state.get("_section_noticed_" + key) != asked:
        st.session_state["_section_noticed_" + key] = asked  # said once, not on every rerun
        st.toast(f"网址中的参数无效，已忽略：{key}={asked}", icon=":material/link_off:")
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    chosen = st.segmented_control(label, labels, default=default, key=key, bind="query-params", required=required)
    box = st.container()
    if chosen is None:
        caption("点击上方按钮查看。")
    return [Section(name, name == chosen, box) for name in labels]


def leader_portfolio(portfolio: dict[str, pd.DataFrame], leader: str) -> None:
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


def leader_unit_list(matrix: pd.DataFrame) -> None:
    """Show a leader × unit matrix as one line per leader (units by shared tasks, most first), for phones."""
    st.caption("领导与责任单位共同承担的任务数（任务最多的20个单位）")
    for leader, row in matrix.iterrows():
        shared = row[row > 0].sort_values(ascending=False, kind="stable")
        st.text(f"{leader}：" + ("、".join(f"{unit} {int(n)}" for unit, n in shared.items()) or "无"))


STYLE = Path(__file__).with_name("style.css")


def page_style() -> None:
    """Load the static stylesheet (hides Streamlit's English hints; narrow-screen layout)."""
    st.html(_STYLESHEET)


# read once per process: st.html(Path) reads the file on every run of every session
_STYLESHEET = f"<style>{STYLE.read_text(encoding='utf-8')}</style>"


def caption(text: str) -> None:
    """Show a small note whose text may contain data, with markdown characters escaped."""
    st.caption(literal(text))
