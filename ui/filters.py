"""The shared sidebar filters (year, table, leader), bound to the URL so links can be shared."""

from __future__ import annotations

import streamlit as st

from loaders.frames import Frames
from loaders.select import SCOPE_LABELS, Filters

ALL = "全部"
YEAR_KEY, SCOPE_KEY, LEADER_KEY = "year", "scope", "leader"


def sidebar_filters(frames: Frames) -> None:
    """Draw the shared filters in the sidebar (called once, from app.py)."""
    with st.sidebar:
        st.header("筛选")
        years = [ALL] + [str(y) for y in sorted(frames.tasks["year"].unique())]
        year = st.selectbox("年度", years, key=YEAR_KEY, bind="query-params")
        st.multiselect("表格", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key=SCOPE_KEY,
                       placeholder="全部表格", bind="query-params")
        leaders = frames.task_leaders
        if year != ALL:
            leaders = leaders[leaders["year"] == int(year)]
        names = [ALL] + sorted(leaders["leader"].unique(), key=_leader_order(frames))
        st.selectbox("牵头领导", names, key=LEADER_KEY, bind="query-params")


def _leader_order(frames: Frames):
    first_seen = {name: i for i, name in enumerate(frames.task_leaders["leader"].drop_duplicates())}
    return lambda name: first_seen.get(name, len(first_seen))


def current_filters() -> Filters:
    """Return the filters chosen in the sidebar (defaults when the sidebar was not drawn)."""
    year = st.session_state.get(YEAR_KEY, ALL)
    scopes = tuple(st.session_state.get(SCOPE_KEY) or ())
    leader = st.session_state.get(LEADER_KEY, ALL)
    return Filters(
        years=() if year in (ALL, None) else (int(year),),
        scopes=scopes,
        leader=None if leader in (ALL, None) else leader,
    )


def describe(filters: Filters) -> str:
    """Return the filters in words, for captions and file names."""
    parts = ["、".join(f"{y}年" for y in filters.years) or "全部年度",
             "、".join(SCOPE_LABELS[s] for s in filters.scopes) or "全部表格"]
    if filters.leader:
        parts.append(filters.leader)
    return " · ".join(parts)
