"""The dashboard's data for a page: the frames (or what is wrong with them), the sidebar's choices, the data stamp.

Every cache behind these lives in ui.cache, with the contract it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from loaders.analysis.leaders import leader_names
from loaders.clock import local_text
from loaders.frames import Frames
from loaders.problems import CuratedDataError
from loaders.store import versions
from ui.cache import RecentValues, cached_frames, data_key, directory_of, district_frames
from ui.database import configured_url

ENTERED_THROUGH_APP = "_entered_through_app"
ENTRY_RERUN = "_entry_rerun"


def entered_through_app() -> None:
    """Mark the session as run by app.py (called by app.py right after st.navigation)."""
    st.session_state[ENTERED_THROUGH_APP] = True


def ensure_entry_point() -> None:
    """Rerun through app.py when Streamlit started a page script on its own.

    Streamlit treats a `pages/` folder as the old file-based navigation until
    app.py has called st.navigation once in the server process (the internal
    PagesManager.uses_pages_directory, pinned by tests/test_streamlit_internals.py).
    A session that opens a shared link such as /tasks?unit=… before that would run
    the page without app.py: no sidebar filters, no URL state. Clearing the flag and
    rerunning makes the session start from app.py like every other one.
    The flag is one per process: when several sessions open pages at once on a
    fresh server, another session's app.py may clear it while this session's page
    already runs on its own, so the session's own mark from app.py decides too. One
    rerun at most for a missing mark: a page run on its own in a test has no app.py
    to mark it.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    if not st.session_state.get(ENTERED_THROUGH_APP) and not st.session_state.get(ENTRY_RERUN):
        st.session_state[ENTRY_RERUN] = True
        st.rerun()


def frames() -> Frames:
    """Return the bundled frames, or show what is wrong with the curated tables and stop."""
    ensure_entry_point()
    try:
        return cached_frames(data_key())
    except CuratedDataError as error:
        st.error("规范表有问题，看板暂不显示数据。请按下列说明修改 data/curated/ 中的文件后刷新页面。")
        st.code("\n".join(str(p) for p in error.problems), language=None, wrap_lines=True)
        st.stop()
        raise  # st.stop() does not return; keeps type checkers honest


@st.cache_resource(max_entries=1024, show_spinner=False)
def _leader_names(key: str, district: str | None, year: int | None) -> tuple[str, ...]:
    return tuple(leader_names(district_frames(key, district), district, year))


# asked for on every run of every page: found by its plain arguments first (no hashing by Streamlit),
# and kept for every district and year of a city's or province's data
_RECENT_LEADERS = RecentValues(1024)


def leader_choices(district: str | None, year: int | None) -> list[str]:
    """Return the leaders of a district and year (or all) for the sidebar, worked out once per choice."""
    return list(_RECENT_LEADERS.recall((data_key(), district, year), _leader_names))


@dataclass(frozen=True)
class FilterChoices:
    """What the sidebar filters offer, and the names a shared link may name."""

    years: tuple[int, ...]
    leaders: tuple[str, ...]
    districts: tuple[str, ...]  # in the order their notices were imported
    district_years: tuple[tuple[str, tuple[int, ...]], ...]  # latest first
    units: frozenset[str]
    named_units: tuple[str, ...]  # sorted, without “相关街镇” and other collective names
    sections: tuple[str, ...]  # sorted 板块/分组 names

    district_units: tuple[tuple[str, tuple[str, ...]], ...] = ()  # named units of each district
    district_sections: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def units_of(self, district: str | None) -> tuple[str, ...]:
        """Return the named units (no collective names) of a district, or of all the data."""
        return self.named_units if district is None else dict(self.district_units).get(district, ())

    def sections_of(self, district: str | None) -> tuple[str, ...]:
        """Return the 板块/分组 names of a district, or of all the data."""
        return self.sections if district is None else dict(self.district_sections).get(district, ())

    def years_of(self, district: str | None) -> tuple[int, ...]:
        """Return the years of a district (or of all the data), latest first."""
        if district is None:
            return tuple(sorted(self.years, reverse=True))
        return dict(self.district_years).get(district, ())


# a shared object (st.cache_resource; frozen, tuples only): st.cache_data would unpickle a copy with every
# district's units on each rerun
@st.cache_resource(max_entries=4, show_spinner=False)
def _filter_choices(key: str) -> FilterChoices:
    frames = cached_frames(key)
    units = frames.task_units
    tasks = frames.tasks
    districts = tuple(frames.documents["district"].drop_duplicates())
    district_years = tuple((d, tuple(sorted((int(y) for y in tasks.loc[tasks["district"] == d, "year"].unique()),
                                            reverse=True))) for d in districts)
    return FilterChoices(tuple(int(y) for y in sorted(tasks["year"].unique())),
                         tuple(sorted(frames.task_leaders["leader"].unique())), districts, district_years,
                         frozenset(units["unit"]),
                         tuple(sorted(units.loc[~units["is_placeholder"], "unit"].unique())),
                         tuple(sorted(set(frames.tasks["section"]) - {""})),
                         tuple((d, tuple(sorted(units.loc[~units["is_placeholder"] & (units["district"] == d), "unit"]
                                                .unique()))) for d in districts),
                         tuple((d, tuple(sorted(set(tasks.loc[tasks["district"] == d, "section"]) - {""})))
                               for d in districts))


def filter_choices() -> FilterChoices:
    """Return the years, leaders and units of the data, worked out once per data version (not per rerun)."""
    return _filter_choices(data_key())


@st.cache_data(max_entries=4, show_spinner=False)
def _data_stamp(key: str) -> str:
    saved = versions(directory_of(key), finish_pending=False, url=configured_url())  # newest first; read-only
    if not saved:
        return "数据：随附的通知原文整理，尚未经看板导入或恢复"
    return f"数据更新于 {local_text(saved[0].saved_at)}（{saved[0].action}）"


def data_stamp() -> str:
    """Return when the curated data were last saved (an import or a restore), worked out once per data version."""
    return _data_stamp(data_key())
