"""Frames read once per server and aggregates once per filter state (shared); a data problem is shown, never a traceback."""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from loaders.curated import DEFAULT_CURATED_DIR
from loaders.frames import Frames, load_frames
from loaders.problems import CuratedDataError
from loaders.select import Filters, TaskQuery, query_tasks, restrict, select

DATA_DIR_VARIABLE = "WORK_REPORT_CURATED_DIR"


def curated_dir() -> Path:
    """Return the curated tables to show: data/curated/, or the folder named by WORK_REPORT_CURATED_DIR."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_CURATED_DIR)


def data_key() -> str:
    """Return a key that changes whenever the curated files change (an import, a restore, an edit).

    Every cache below is keyed on it, so a save is visible to every session on
    its next rerun, without restarting the server. Worked out once per script run
    (a page asks for it with every cached result: listing the folder each time was
    a tenth of a run in bench/load.py), so one run also reads one data version
    throughout; a save within the run calls forget_data_key().
    """
    ctx = get_script_run_ctx()
    if ctx is None:  # outside a script run (a command, a test): no run to share it with
        return _scan_data_key()
    token = ctx.cursors  # a new dict for every run of the session (ScriptRunContext.reset)
    memo = getattr(_THIS_RUN, "data_key", None)
    if memo is None or memo[0] is not token:
        memo = _THIS_RUN.data_key = (token, _scan_data_key())
    return memo[1]


def forget_data_key() -> None:
    """Make the next data_key() of this run look at the files again (called right after a save or a restore)."""
    _THIS_RUN.data_key = None


# a session's runs happen on its script thread, one at a time: what a run worked out is kept per thread
_THIS_RUN = threading.local()


def _scan_data_key() -> str:
    directory = curated_dir()
    try:
        # os.scandir, not Path.glob: the paths cost more than the stats
        with os.scandir(directory) as entries:
            files = sorted((entry.name, entry.stat()) for entry in entries
                           if entry.name.endswith(".csv") and not entry.name.startswith("."))  # as glob("*.csv")
        stamp = [directory.stat().st_ino] + [(s.st_mtime_ns, s.st_size) for _, s in files]
    except OSError:
        stamp = []
    return f"{directory}|{stamp}"


def directory_of(key: str) -> Path:
    return Path(key.split("|", 1)[0])


@st.cache_resource(show_spinner="正在读取规范表…", max_entries=2)
def cached_frames(key: str) -> Frames:
    """Return the frames of a curated folder, read once per server and folder.

    One shared object for every session and page (st.cache_resource): the frames
    are never modified in place (every selection makes new frames), and a copy
    per run (st.cache_data) would unpickle ~35 MB at ×100 on every rerun
    (measured in bench/). Aggregates per filter state are shared the same way below.
    """
    return load_frames(directory_of(key))


ENTERED_THROUGH_APP = "_entered_through_app"
ENTRY_RERUN = "_entry_rerun"


def entered_through_app() -> None:
    """Mark the session as run by app.py (called by app.py right after st.navigation)."""
    st.session_state[ENTERED_THROUGH_APP] = True


def ensure_entry_point() -> None:
    """Rerun through app.py when Streamlit started a page script on its own.

    Streamlit treats a `pages/` folder as the old file-based navigation until
    app.py has called st.navigation once in the server process. A session that
    opens a shared link such as /tasks?unit=… before that would run the page
    without app.py: no sidebar filters, no URL state. Clearing the flag and
    rerunning makes the session start from app.py like every other one.
    The flag is one per process: when several sessions open pages at once on a
    fresh server, another session's app.py may clear it while this session's
    page already runs on its own (bench/load.py found such pages without the
    sidebar), so the session's own mark from app.py decides too. One rerun at most
    for a missing mark: a page run on its own in a test has no app.py to mark it.
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


@st.cache_resource(max_entries=256, show_spinner=False)
def _district_frames(key: str, district: str | None) -> Frames:
    """Return the frames of one district (all of them for None), cut once per data version and district.

    Every selection starts from here: with 100 districts (×100) a new filter state
    then filters one district's rows, not 25,700 tasks (select() on the whole
    frames was a fifth of the server's CPU with 50 sessions in bench/load.py).
    Selecting the district first and the other filters second gives the same rows.
    """
    frames = cached_frames(key)
    return frames if district is None else select(frames, Filters(district=district))


# Results are shared objects (st.cache_resource), like the frames: st.cache_data would
# unpickle a copy on every rerun, 0.05 s for the 25,000-row target list at ×100 (bench/).
# Nothing downstream modifies them in place (tables and downloads copy what they change).
# 2048 entries: each page asks for 5–8 results per filter state, and 200 sessions
# (bench/load.py) hold a few hundred states at a time; 128 entries were evicted before reuse.
@st.cache_resource(max_entries=2048, show_spinner=False)
def _analysed(name: str, key: str, filters: Filters, query: TaskQuery | None, args: tuple):
    from loaders import analysis

    return getattr(analysis, name)(_selected(key, filters, query), *args)


@st.cache_resource(max_entries=256, show_spinner=False)
def _selected(key: str, filters: Filters, query: TaskQuery | None) -> Frames:
    """Return the frames of one filter state, cut once for all the results a page asks for.

    A page asks for 5–8 results of the same state; cutting the frames for each was a
    third of the server's CPU at ×100, where every session's states are new (bench/load.py).
    """
    frames = _district_frames(key, filters.district)
    if query is None:
        return select(frames, filters)
    return restrict(frames, _queried(key, filters, query)["task_key"])  # the task list the page shows


def analysed(name: str, filters: Filters, *args, query: TaskQuery | None = None):
    """Return loaders.analysis.<name>(selected frames, *args), computed once per filter state.

    `query` narrows the selection further, as the drill-down does (e.g. to one
    unit's tasks). The result (a small frame) is cached per data folder, filters
    and query, so a page that is opened again, or by several people, does not
    aggregate again.
    """
    return _RECENT_RESULTS.recall((name, data_key(), filters, query, args), lambda *key: shared(_analysed(*key)))


MISSING = object()  # what RecentValues.get() returns for a key it does not hold


class RecentValues:
    """A bounded map, least recently used entry dropped first; safe across sessions' threads.

    get() returns MISSING when a key is absent or cannot be hashed (nothing is kept for it).
    """

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple):
        try:
            with self._lock:
                value = self._entries.get(key, MISSING)
                if value is not MISSING:
                    self._entries.move_to_end(key)
                return value
        except TypeError:  # an unhashable argument
            return MISSING

    def recall(self, key: tuple, make):
        """Return the value kept for key, or make(*key), kept from now on (a miss computes it again)."""
        value = self.get(key)
        if value is MISSING:
            value = make(*key)
            self.put(key, value)
        return value

    def put(self, key: tuple, value) -> None:
        try:
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        except TypeError:
            pass


# The results analysed() handed out last, by their plain arguments. Filters, queries, names
# and the data key are hashable values, so a dict finds a result without st.cache_resource
# hashing every argument with its own hasher on each call (6% of the server's CPU per run,
# py-spy, bench/load.py). A miss asks st.cache_resource, which computes a result once for
# concurrent sessions.
_RECENT_RESULTS = RecentValues(2048)
_RECENT_LEADERS = RecentValues(1024)


class _SharedResults:
    """The result objects analysed() has handed out (weakly held): shared, never modified in place."""

    def __init__(self) -> None:
        self._by_id: weakref.WeakValueDictionary[int, object] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def remember(self, value) -> None:
        for item in value.values() if isinstance(value, dict) else (value,):  # e.g. a leader's portfolio
            try:
                with self._lock:
                    self._by_id[id(item)] = item
            except TypeError:  # ints and lists cannot be weakly referenced; frames can
                pass

    def __contains__(self, value) -> bool:
        with self._lock:
            return self._by_id.get(id(value)) is value


_SHARED_RESULTS = _SharedResults()


def shared(value):
    """Mark value as a shared result (made once for every session, never modified) and return it."""
    _SHARED_RESULTS.remember(value)
    return value


def is_shared_result(value) -> bool:
    """Return whether value is an object analysed() returned (a cached result, the same for every session)."""
    return value in _SHARED_RESULTS


@st.cache_resource(max_entries=256, show_spinner=False)
def _queried(key: str, filters: Filters, query: TaskQuery):
    return query_tasks(_district_frames(key, filters.district), filters, query)


def queried(filters: Filters, query: TaskQuery):
    """Return the task list of the drill-down filters, computed once per filter state (a shared result)."""
    return shared(_queried(data_key(), filters, query))


@st.cache_resource(max_entries=1024, show_spinner=False)
def _leader_names(key: str, district: str | None, year: int | None) -> tuple[str, ...]:
    from ui.filters import leader_names

    return tuple(leader_names(_district_frames(key, district), district, year))


def leader_choices(district: str | None, year: int | None) -> list[str]:
    """Return the leaders of a district and year (or all) for the sidebar, worked out once per choice.

    Asked for on every run of every page: found by its plain arguments first (no hashing), and
    kept for every district and year (64 entries were too few for 100 districts, bench/load.py).
    """
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


# a shared object (st.cache_resource; frozen, tuples only): st.cache_data unpickled a copy with every
# district's units on each rerun, 5% of the server's CPU with 20 sessions at ×100 (bench/load.py)
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
    from loaders.store import versions

    saved = versions(directory_of(key), finish_pending=False)  # newest first; read-only, no recovery here
    if not saved:
        return "数据：随附的通知原文整理，尚未经看板导入或恢复"
    return f"数据更新于 {saved[0].saved_at.replace('T', ' ')[:16]}（{saved[0].action}）"


def data_stamp() -> str:
    """Return when the curated data were last saved (an import or a restore), worked out once per data version."""
    return _data_stamp(data_key())
