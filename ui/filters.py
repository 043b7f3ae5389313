"""The shared sidebar filters (year, table, leader), bound to the URL so links can be shared."""

from __future__ import annotations

import streamlit as st

from loaders.frames import Frames
from loaders.select import SCOPE_LABELS, Filters

ALL = "全部"
YEAR_KEY, SCOPE_KEY, LEADER_KEY = "year", "scope", "leader"


FILTERS_STATE = "_shared_filters"


def sidebar_filters(frames: Frames) -> Filters:
    """Draw the shared filters in the sidebar (called once, from app.py) and return what they select.

    The values are taken from what the widgets return (the URL may have set them) and
    kept for the page that runs after the sidebar.
    """
    from ui.data import filter_choices, leader_choices

    choices = filter_choices()
    years = [ALL] + [str(y) for y in choices.years]
    if not st.session_state.get(URL_APPLIED):
        _apply_url_once(years, list(choices.leaders), set(choices.units))
    with st.sidebar:
        st.header("筛选")
        year = st.selectbox("年度", years, key=YEAR_KEY, bind="query-params")
        scopes = st.multiselect("表格", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key=SCOPE_KEY,
                                placeholder="全部表格", bind="query-params")
        names = [ALL] + leader_choices(None if year == ALL else int(year))
        leader = st.selectbox("牵头领导", names, key=LEADER_KEY, bind="query-params")
    filters = Filters(
        years=() if year in (ALL, None) else (int(year),),
        scopes=tuple(scopes or ()),
        leader=None if leader in (ALL, None) else leader,
    )
    st.session_state[FILTERS_STATE] = filters
    return filters


URL_APPLIED = "_url_filters_applied"


# every parameter some screen reads from the URL
KNOWN_PARAMS = {YEAR_KEY, SCOPE_KEY, LEADER_KEY, "unit", "lead_only", "category", "has_target", "section", "q",
                "kind", "slide", "deck_year", "deck_leader", "deck_unit", "deck_part", "reading"}


def _apply_url_once(years: list[str], leaders: list[str], units: set[str]) -> None:
    """On a session's first run, take the sidebar filters from the URL and say what was ignored.

    `bind="query-params"` silently drops values that are not valid choices; a
    person who opens an outdated link should be told (e.g. year=1999), so the
    URL is read once here and anything unusable is named in a short notice.
    """
    if st.session_state.get(URL_APPLIED):
        return
    st.session_state[URL_APPLIED] = True
    ignored = []
    year = st.query_params.get(YEAR_KEY)
    if year is not None:
        if year in years:
            st.session_state[YEAR_KEY] = year
        else:
            ignored.append(f"{YEAR_KEY}={year}")
    leader = st.query_params.get(LEADER_KEY)
    if leader is not None:
        if leader in leaders or leader == ALL:
            st.session_state[LEADER_KEY] = leader
        else:
            ignored.append(f"{LEADER_KEY}={leader}")
    labels = {label: code for code, label in SCOPE_LABELS.items()}
    scopes = st.query_params.get_all(SCOPE_KEY)
    if scopes:
        known = [labels[s] for s in scopes if s in labels]
        ignored += [f"{SCOPE_KEY}={s}" for s in scopes if s not in labels]
        st.session_state[SCOPE_KEY] = known
    unit = st.query_params.get("unit")
    if unit is not None and unit not in units:
        ignored.append(f"unit={unit}")
    ignored += [f"{key}" for key in st.query_params.keys() if key not in KNOWN_PARAMS]
    if ignored:
        st.toast("网址中的参数无效，已忽略：" + "，".join(ignored), icon=":material/link_off:")


def leader_names(frames: Frames, year: int | None) -> list[str]:
    """Return the leaders of a year (or all), in the order the notices first name them."""
    leaders = frames.task_leaders[["leader", "year"]].drop_duplicates("leader" if year is None else None)
    if year is not None:
        leaders = leaders[leaders["year"] == year].drop_duplicates("leader")
    return leaders["leader"].tolist()


def current_filters() -> Filters:
    """Return the filters chosen in the sidebar in this run (all tasks when it was not drawn)."""
    return st.session_state.get(FILTERS_STATE, Filters())


def describe(filters: Filters) -> str:
    """Return the filters in words, for captions and file names."""
    parts = ["、".join(f"{y}年" for y in filters.years) or "全部年度",
             "、".join(SCOPE_LABELS[s] for s in filters.scopes) or "全部表格"]
    if filters.leader:
        parts.append(filters.leader)
    return " · ".join(parts)


