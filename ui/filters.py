"""The shared sidebar filters (year, table, leader), bound to the URL so links can be shared."""

from __future__ import annotations

import streamlit as st

from loaders.frames import Frames
from loaders.select import Filters
from loaders.vocabulary import KIND_LABELS, SCOPE_LABELS, STATUS_LABELS
from ui.data import filter_choices, leader_choices
from ui.sections import SECTION_KEYS
from ui.text import literal

ALL = "全部"
YEAR_KEY, SCOPE_KEY, LEADER_KEY, DISTRICT_KEY = "year", "scope", "leader", "district"


FILTERS_STATE = "_shared_filters"


def sidebar_filters(frames: Frames, page: str = "") -> Filters:
    """Draw the shared filters in the sidebar (called once, from app.py) and return what they select.

    区县 appears when the data holds several districts; one district is shown at a
    time, so no count ever adds up two districts. Without a year in the URL the
    latest year of the district is shown (“who carries what this year”).
    The values are taken from what the widgets return (the URL may have set them) and
    kept for the page that runs after the sidebar.
    """
    choices = filter_choices()
    if not st.session_state.get(URL_APPLIED) or st.session_state.get(PAGE_SEEN) != page:
        # a new session, or a link (e.g. a drill-down link to 任务明细) opened another page: the
        # sidebar widgets keep their state across pages, so the URL is read here, not by them
        _apply_url(choices)
    st.session_state[PAGE_SEEN] = page
    with st.sidebar:
        st.header("筛选")
        district = None
        if len(choices.districts) > 1:
            district = st.selectbox("区县", choices.districts, key=DISTRICT_KEY, bind="query-params")
        years = [str(y) for y in choices.years_of(district)]
        if st.session_state.get(YEAR_KEY) not in [ALL, *years]:
            st.session_state[YEAR_KEY] = years[0] if years else ALL  # the latest year of the district
        # no format_func: a bound widget writes its label into the URL, and links say year=2020
        year = st.selectbox("年度", [*years, ALL], key=YEAR_KEY, bind="query-params",
                            help="选“全部”时各年度并列显示、各自排名，不合计")
        scopes = st.multiselect("表格", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key=SCOPE_KEY,
                                placeholder="全部表格", bind="query-params")
        names = [ALL] + leader_choices(district, None if year == ALL else int(year))
        if st.session_state.get(LEADER_KEY) not in names:
            st.session_state[LEADER_KEY] = ALL
        leader = st.selectbox("牵头领导", names, key=LEADER_KEY, bind="query-params")
        latest = years[0] if years else ALL
        if year != latest or scopes or leader not in (ALL, None):
            st.button("清除筛选", key="clear_filters", icon=":material/filter_alt_off:", on_click=_clear_sidebar,
                      args=(latest,), help="年度回到最新一年，表格和牵头领导回到“全部”；区县不变")
    filters = Filters(
        years=() if year in (ALL, None) else (int(year),),
        scopes=tuple(scopes or ()),
        leader=None if leader in (ALL, None) else leader,
        district=district,
    )
    st.session_state[FILTERS_STATE] = filters
    return filters


URL_APPLIED = "_url_filters_applied"
PAGE_SEEN = "_filters_page"


def _clear_sidebar(latest: str) -> None:
    # a callback runs before the widgets are drawn, the one moment their state may be set
    st.session_state[YEAR_KEY] = latest
    st.session_state[SCOPE_KEY] = []
    st.session_state[LEADER_KEY] = ALL


def clear_button(keys: dict[str, object], label: str = "清除本页筛选") -> None:
    """Show a button that puts this page's own filters (widget key → empty value) back to empty."""

    def clear() -> None:
        for key, empty in keys.items():
            st.session_state[key] = empty

    st.button(label, key="clear_" + "_".join(keys), icon=":material/filter_alt_off:", on_click=clear)


# every parameter some screen reads from the URL
KNOWN_PARAMS = {YEAR_KEY, SCOPE_KEY, LEADER_KEY, DISTRICT_KEY, "year_from", "year_to", "unit", "lead_only", "category", "has_target", "section", "q",
                "status", "kind", "slide", "deck_year", "deck_leader", "deck_unit", "deck_district", "deck_part", "deck_as_of",
                "reading", *SECTION_KEYS}  # the parts shown on request check their own values


def _apply_url(choices) -> None:
    """On a session's first run and on each new page, take the sidebar filters from the URL; say what was ignored.

    `bind="query-params"` silently drops values that are not valid choices; a
    person who opens an outdated link should be told (e.g. year=1999), so the
    URL is read once here and anything unusable is named in a short notice.
    """
    st.session_state[URL_APPLIED] = True
    ignored = []
    district = st.query_params.get(DISTRICT_KEY)
    if district is not None:
        if district in choices.districts and len(choices.districts) > 1:
            st.session_state[DISTRICT_KEY] = district
        elif district not in choices.districts:
            ignored.append(f"{DISTRICT_KEY}={district}")
    chosen_district = st.session_state.get(DISTRICT_KEY) if len(choices.districts) > 1 else None
    years = [str(y) for y in choices.years_of(chosen_district)]
    year = st.query_params.get(YEAR_KEY)
    if year is not None:
        if year in years or year == ALL:
            st.session_state[YEAR_KEY] = year
        else:
            ignored.append(f"{YEAR_KEY}={year}")
    leader = st.query_params.get(LEADER_KEY)
    if leader is not None:
        # the sidebar offers the leaders of the chosen district and year: a leader of another year is named too
        chosen_year = st.session_state.get(YEAR_KEY)
        if chosen_year not in [ALL, *years]:
            chosen_year = years[0] if years else ALL  # the sidebar's default: the latest year
        offered = leader_choices(chosen_district, None if chosen_year == ALL else int(chosen_year))
        if leader in offered or leader == ALL:
            st.session_state[LEADER_KEY] = leader
        else:
            ignored.append(f"{LEADER_KEY}={leader}")
    labels = {label: code for code, label in SCOPE_LABELS.items()}
    scopes = st.query_params.get_all(SCOPE_KEY)
    if scopes:
        known = [labels[s] for s in scopes if s in labels]
        ignored += [f"{SCOPE_KEY}={s}" for s in scopes if s not in labels]
        st.session_state[SCOPE_KEY] = known
    kinds = set(KIND_LABELS.values())
    ignored += [f"kind={k}" for k in st.query_params.get_all("kind") if k not in kinds]
    statuses = set(STATUS_LABELS.values())
    ignored += [f"status={s}" for s in st.query_params.get_all("status") if s not in statuses]
    unit = st.query_params.get("unit")
    if unit is not None and unit not in choices.units:
        ignored.append(f"unit={unit}")
    ignored += [f"{key}" for key in st.query_params.keys() if key not in KNOWN_PARAMS]
    if ignored:
        st.toast("网址中的参数无效，已忽略：" + "，".join(ignored), icon=":material/link_off:")


def current_filters() -> Filters:
    """Return the filters chosen in the sidebar in this run (all tasks when it was not drawn)."""
    return st.session_state.get(FILTERS_STATE, Filters())


def describe(filters: Filters) -> str:
    """Return the filters in words, for captions and file names."""
    parts = [filters.district] if filters.district else []
    parts += ["、".join(f"{y}年" for y in filters.years) or "全部年度（逐年并列）",
             "、".join(SCOPE_LABELS[s] for s in filters.scopes) or "全部表格"]
    if filters.leader:
        parts.append(filters.leader)
    return " · ".join(parts)




FROM_KEY, TO_KEY = "year_from", "year_to"


def year_pair(years: list[int], label: str = "比较年度") -> tuple[int, int] | None:
    """Draw the choice of two years to compare (default: the latest two) and return (earlier, later).

    `years` are the district's years, latest first. Returns None, after saying
    why, when there are fewer than two. Bound to the URL as year_from / year_to.
    """
    if len(years) < 2:
        st.info(literal(f"所选区县只有{'、'.join(f'{y}年' for y in years) or '零'}份通知的数据，至少要有两个年度才能比较。"))
        return None
    words = [str(y) for y in years]
    for key, default in ((FROM_KEY, words[1]), (TO_KEY, words[0])):
        if st.session_state.get(key) not in words:
            st.session_state[key] = default
    left, right, _ = st.columns([1, 1, 3])
    earlier = left.selectbox(f"{label}：从（年）", words, key=FROM_KEY, bind="query-params")
    later = right.selectbox("到（年）", words, key=TO_KEY, bind="query-params")
    if earlier == later:
        st.info("请选择两个不同的年度。")
        return None
    first, second = sorted((int(earlier), int(later)))
    return first, second
