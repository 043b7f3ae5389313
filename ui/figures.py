"""Charts on the page: a shared figure drawn with the project's template, and bar charts that lead to task lists."""

from __future__ import annotations

import streamlit as st

from loaders.select import Filters
from ui.cache import analysed_figure, figure_of
from ui.layout import on_phone
from ui.text import literal

# no plotly toolbar: it covered chart titles on phones and speaks English; the
# table and page downloads are the way to take data away
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "zh-CN"}

TASKS_PAGE = "pages/tasks.py"


def chart(builder, *args, key: str | None = None, projector: bool = False, **options) -> None:
    """Show the plotly figure builder(*args) with the shared template (the Streamlit theme would override it)."""
    _show_figure(figure_of(builder, *args, projector=projector, **options), key)


def analysed_chart(builder, function, filters: Filters, *args, key: str | None = None, **options) -> None:
    """Show builder(analysed(function, filters, *args), **options), built once per filter state (ui.cache)."""
    _show_figure(analysed_figure(builder, function, filters, *args, **options), key)


def _show_figure(figure, key: str | None) -> None:
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config=PLOTLY_CONFIG)


def drill_link(name: str, param: str) -> None:
    """Show a link that opens the task list filtered to one leader or unit (other filters kept).

    The link carries that one parameter once; the sidebar filters of this session
    (区县, 年度, 表格) travel with the session, not with the link.
    """
    st.page_link(TASKS_PAGE, label="打开任务明细：" + literal(name), icon=":material/open_in_new:",
                 query_params={param: name})


PHONE_PICKS = 12  # up to this many names, a phone shows them as buttons (bigger than a bar); more: the selectbox


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
    the chart) that follows the pick; `opens` = (tabs key, label) is the part of
    on_request that shows it, opened by the pick. (st.switch_page cannot be used: it
    refuses to clear URL parameters bound to widgets.)
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
    tapped = names is not None and on_phone() and len(names) <= PHONE_PICKS
    if tapped:  # a phone: the names as buttons, bigger to tap than a bar (a tap on a bar selects too: ui/touch_select.js)
        st.pills(picker_label or "选择", names, key=picker, on_change=chosen, selection_mode="single")
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        if names is not None and not tapped:
            st.selectbox(picker_label or "选择", names, index=None, key=picker, on_change=chosen,
                         placeholder="点击柱条或在此选择", width=280)
        if name is not None:
            drill_link(name, param)
    # the link row sits above the chart: a tall chart would push it below the first screen
    if on_phone():
        options["narrow"] = True  # numbers too small to read on a phone are left out
    if name is not None:
        options["highlight"] = name  # all of the picked name's segments stay coloured (plotly keeps only the clicked one)
    st.plotly_chart(figure_of(builder, *args, **options), theme=None, width="stretch", key=key, on_select=clicked,
                    selection_mode="points", config=PLOTLY_CONFIG)
    return name
