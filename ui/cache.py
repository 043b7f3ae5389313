"""Every cache of the dashboard's server process, and the contract they rest on.

The contract
------------
1. **One data version per run.** data_key() first brings the curated folder to the
   database's current version (loaders.store.sync: one query; another replica's save
   replaces the folder), then stamps the curated files (names, sizes, modification
   times, the folder's inode). An import, a restore or a hand edit changes it, and
   every cache below is keyed on it: a save is seen by every session (of every
   replica) at its next rerun, without restarting the server. One script run reads one data
   version throughout (the key is worked out once per run; a save within the run
   calls forget_data_key()).
2. **Shared results are never modified.** The frames, the selections, analysed(),
   queried(), derived() and the figures and prepared tables made of them are made
   once and handed to every session as the very same objects (st.cache_resource,
   not st.cache_data, which would unpickle a copy on every rerun). Nobody modifies
   one in place: a page that needs another frame makes a new one (assign, merge,
   a boolean mask). tests/test_cache_contract.py renders every page with
   WORK_REPORT_CHECK_SHARED=1, which fingerprints each shared result when it is
   made, and fails when any of them changed afterwards (check_shared()).
3. **Found by identity.** A shared result is the same object for the same filter
   state, so what is made of it (a display table, a figure, a join) is looked up by
   the object's identity (and plain values by value) instead of hashing its content.
   An identity cache keeps the argument objects with its value, so an id is never
   reused for another object while its entry exists.
4. **Bounded.** Every map drops its least recently used entry first.

Streamlit internals used here, each pinned by tests/test_streamlit_internals.py so
that an upgrade that moves them fails a test instead of a page:
- ScriptRunContext.cursors: a new dict for every run of a session; its identity is
  the run token that keeps one data key per run (the public API has no run id).
- a figure whose class is changed to SharedFigure: st.plotly_chart serializes a
  figure through figure.to_dict(), which SharedFigure answers with the dict made once.
"""

from __future__ import annotations

import hashlib
import os
import threading
import weakref
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from charts.theme import for_projector
from loaders.curated import configured_dir, folder_stamp
from loaders.frames import Frames, load_frames
from loaders.select import Filters, TaskQuery, query_tasks, restrict, select
from loaders.store import sync
from ui.database import configured_url, unreachable

# --- the data version ------------------------------------------------------------------------------


def data_key() -> str:
    """Return a key that changes whenever the curated files change (an import, a restore, an edit).

    Worked out once per script run (a page asks for it with every cached result,
    and listing the folder each time costs more than the lookups it keys).
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
    directory = configured_dir()
    try:
        sync(directory, configured_url())  # another replica's save, or a hand edit, reaches the folder here
    except (SQLAlchemyError, OSError) as error:
        unreachable(error)
    return f"{directory}|{folder_stamp(directory)}"


def directory_of(key: str) -> Path:
    """Return the curated folder a data key was made for."""
    return Path(key.split("|", 1)[0])


# --- frames and selections (shared) ----------------------------------------------------------------


@st.cache_resource(show_spinner="正在读取规范表…", max_entries=2)
def cached_frames(key: str) -> Frames:
    """Return the frames of a curated folder, read once per server and data version, shared by every session."""
    return shared(load_frames(directory_of(key)))


@st.cache_resource(max_entries=256, show_spinner=False)
def district_frames(key: str, district: str | None) -> Frames:
    """Return the frames of one district (all of them for None), cut once per data version and district.

    Every selection starts from here, so a new filter state filters one district's
    rows, not every district's; selecting the district first gives the same rows.
    """
    frames = cached_frames(key)
    return frames if district is None else shared(select(frames, Filters(district=district)))


@st.cache_resource(max_entries=256, show_spinner=False)
def _selected(key: str, filters: Filters, query: TaskQuery | None) -> Frames:
    # the frames of one filter state, cut once for all the results a page asks for
    frames = district_frames(key, filters.district)
    if query is None:
        return shared(select(frames, filters))
    return shared(restrict(frames, _queried(key, filters, query)["task_key"]))  # the task list the page shows


@st.cache_resource(max_entries=256, show_spinner=False)
def _queried(key: str, filters: Filters, query: TaskQuery):
    return shared(query_tasks(district_frames(key, filters.district), filters, query))


def queried(filters: Filters, query: TaskQuery):
    """Return the task list of the drill-down filters, computed once per filter state (a shared result)."""
    return _queried(data_key(), filters, query)


# --- analyses (shared) -----------------------------------------------------------------------------


def qualified_name(function) -> str:
    """Return module.qualname of a function: the cache key that stands for the (unhashable) function."""
    return f"{function.__module__}.{function.__qualname__}"


# 2048 entries: each page asks for 5–8 results per filter state, and many sessions hold a few
# hundred states at a time (docs/性能.md)
@st.cache_resource(max_entries=2048, show_spinner=False)
def _analysed(_function, name: str, key: str, filters: Filters, query: TaskQuery | None, args: tuple,
              options: tuple):
    # name stands for _function in the cache key (a function is not hashed by Streamlit's hasher)
    return shared(_function(_selected(key, filters, query), *args, **dict(options)))


def analysed(function, filters: Filters, *args, query: TaskQuery | None = None, **options):
    """Return function(selected frames, *args, **options), computed once per filter state and shared.

    `function` is one of loaders.analysis' functions (its first parameter takes
    Frames). `query` narrows the selection further, as the drill-down does (e.g.
    to one unit's tasks). Found first by its plain arguments in a small map (no
    hashing by Streamlit's hasher); a miss asks st.cache_resource, which computes
    a result once for concurrent sessions.
    """
    name = qualified_name(function)
    settings = tuple(sorted(options.items()))
    return _RECENT_RESULTS.recall((name, data_key(), filters, query, args, settings),
                                  lambda *key: _analysed(function, *key))


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


_RECENT_RESULTS = RecentValues(2048)

# --- what is shared, and the check that nobody modifies it -------------------------------------------

CHECK_VARIABLE = "WORK_REPORT_CHECK_SHARED"  # set to 1 (tests): fingerprint every shared result


class _SharedResults:
    """The objects handed out as shared results (weakly held), with their fingerprints when checking."""

    def __init__(self) -> None:
        self._by_id: weakref.WeakValueDictionary[int, object] = weakref.WeakValueDictionary()
        self._prints: dict[int, tuple[weakref.ref, str, str]] = {}
        self._lock = threading.Lock()

    def remember(self, value) -> None:
        for item in _parts(value):
            try:
                with self._lock:
                    self._by_id[id(item)] = item
                    if os.environ.get(CHECK_VARIABLE) == "1" and id(item) not in self._prints:
                        self._prints[id(item)] = (weakref.ref(item), fingerprint(item), _describe(item))
            except TypeError:  # ints, strings and lists cannot be weakly referenced; frames can
                pass

    def __contains__(self, value) -> bool:
        with self._lock:
            return self._by_id.get(id(value)) is value

    def fingerprinted(self, value) -> bool:
        with self._lock:
            entry = self._prints.get(id(value))
            return entry is not None and entry[0]() is value

    def changed(self) -> list[str]:
        """Return a description of every fingerprinted shared result that no longer matches its fingerprint."""
        with self._lock:
            entries = list(self._prints.values())
        return [what for ref, before, what in entries if (item := ref()) is not None and fingerprint(item) != before]


def _parts(value):
    """Return the objects a result is made of: a dict's values (a portfolio), a dataclass' frames, or itself."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, Frames):
        return [value, *(v for v in vars(value).values() if isinstance(v, pd.DataFrame))]
    if hasattr(value, "__dataclass_fields__"):
        return [value, *(v for v in vars(value).values() if isinstance(v, pd.DataFrame))]
    return [value]


def fingerprint(value) -> str:
    """Return a digest of a shared result's content (frames by values, index and columns; figures by JSON)."""
    digest = hashlib.sha256()
    if isinstance(value, pd.DataFrame):
        digest.update(repr((list(value.columns), list(map(str, value.dtypes)))).encode())
        digest.update(pd.util.hash_pandas_object(value.astype(str), index=True).values.tobytes())
    elif isinstance(value, go.Figure):
        digest.update(value.to_json().encode())
    elif isinstance(value, tuple) and value and isinstance(value[0], pd.DataFrame):
        digest.update(fingerprint(value[0]).encode() + repr(value[1:]).encode())
    else:
        digest.update(repr(value).encode())
    return digest.hexdigest()


def _describe(value) -> str:
    if isinstance(value, pd.DataFrame):
        return f"一个数据框（{len(value)} 行；列 {', '.join(map(str, value.columns[:6]))}）"
    return type(value).__name__


_SHARED_RESULTS = _SharedResults()


def shared(value):
    """Mark value as a shared result (made once for every session, never modified) and return it."""
    _SHARED_RESULTS.remember(value)
    return value


def is_shared_result(value) -> bool:
    """Return whether value is a shared result (made once here, the same object for every session)."""
    return value in _SHARED_RESULTS


def fingerprinted(value) -> bool:
    """Return whether a shared result's content was fingerprinted when it was made (WORK_REPORT_CHECK_SHARED=1)."""
    return _SHARED_RESULTS.fingerprinted(value)


def check_shared() -> list[str]:
    """Return the shared results modified since they were made (only those fingerprinted: WORK_REPORT_CHECK_SHARED=1)."""
    return _SHARED_RESULTS.changed()


# --- what is made of shared results, found by identity ----------------------------------------------


class _ByIdentity:
    """Values computed from the very same argument objects, found by identity (no content hashing).

    The arguments are kept with the value, so an id is never reused for another
    object while its entry exists; bounded, the least recently used entry goes first.
    Only for shared, never-modified inputs (is_shared_result).
    """

    def __init__(self, size: int) -> None:
        self._entries = RecentValues(size)  # key → (arguments, value)

    def get(self, key: tuple, args: tuple):
        hit = self._entries.get(key)
        if hit is MISSING or not all(a is b or (plain_key(a) and a == b) for a, b in zip(hit[0], args, strict=True)):
            return None
        return hit[1]

    def put(self, key: tuple, args: tuple, value) -> None:
        self._entries.put(key, (args, value))


def _plain(value) -> bool:
    """Return whether a value is a small immutable (a title, a count) that is keyed by its value, not its identity."""
    return value is None or isinstance(value, (str, int, float, bool))


def plain_key(value) -> bool:
    """Return whether a value is keyed by its value: a plain value or a (nested) tuple of them, e.g. chosen codes."""
    return _plain(value) or (isinstance(value, tuple) and all(map(plain_key, value)))


_DERIVED = _ByIdentity(3072)  # display tables and joins of shared results


def derived(build, source, *more):
    """Return build(source, *more), worked out once per shared result and made anew for anything else.

    For what a page makes of a shared result on every run (a display table, a view
    with words for codes, the task list joined with the shared progress board): the
    same source object (and the same shared or plain `more`) gives the same value to
    every session. build must be a module-level function; its value is itself shared.
    """
    inputs = (source, *more)
    if not is_shared_result(source) or not all(is_shared_result(m) or plain_key(m) for m in more):
        return build(*inputs)
    key = (qualified_name(build), *(m if plain_key(m) else id(m) for m in inputs))
    value = _DERIVED.get(key, inputs)
    if value is None:
        value = shared(build(*inputs))  # itself shared: a chart of it is found by identity too
        _DERIVED.put(key, inputs, value)
    return value


# --- figures ---------------------------------------------------------------------------------------


class SharedFigure(go.Figure):
    """A built figure that every session draws and none modifies: its dict is made once.

    st.plotly_chart turns a figure into JSON through figure.to_dict(), a deep copy of
    every trace and of the layout, on every run. Here to_dict() returns the dict made
    when the figure was shared (trace uids left out, as plotly.io.to_json does); the
    JSON encoder only reads it. Do not modify a SharedFigure.
    """

    @classmethod
    def of(cls, figure: go.Figure) -> "SharedFigure":
        """Return the figure itself, now shared (not a copy: a copy validates every property again)."""
        as_dict = figure.to_dict()  # exactly what st.plotly_chart would have sent for the figure itself
        for trace in as_dict.get("data", []):
            trace.pop("uid", None)
        figure.__class__ = cls
        figure.__dict__["_shared_dict"] = as_dict
        return shared(figure)

    def to_dict(self) -> dict:
        return self.__dict__.get("_shared_dict") or super().to_dict()


def _build_figure(builder, args: tuple, options: tuple, projector: bool) -> go.Figure:
    figure = builder(*args, **dict(options))
    return SharedFigure.of(for_projector(figure) if projector else figure)


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(_builder, name: str, args: tuple, options: tuple, projector: bool) -> go.Figure:
    return _build_figure(_builder, args, options, projector)


_FIGURES = _ByIdentity(2048)


def figure_of(builder, *args, projector: bool = False, **options) -> go.Figure:
    """Return builder(*args, **options), built once per distinct input and shared by every session.

    Inputs that are shared results are found by identity (titles and counts by
    value), and a figure of results not seen before (a new filter state) is built
    without hashing them. Other inputs (made for this run, e.g. frame.head(10))
    are found by content through st.cache_resource.
    """
    name = qualified_name(builder)
    settings = tuple(sorted(options.items()))
    data = [a for a in args if not _plain(a)]
    if not (data and all(map(is_shared_result, data))):
        return _figure(builder, name, args, settings, projector)
    key = (name, tuple(a if _plain(a) else id(a) for a in args), settings, projector)
    try:
        figure = _FIGURES.get(key, args)
    except TypeError:  # an unhashable option: by content only
        return _figure(builder, name, args, settings, projector)
    if figure is None:
        figure = _build_figure(builder, args, settings, projector)
        _FIGURES.put(key, args, figure)
    return figure


@st.cache_resource(max_entries=256, show_spinner=False)
def _analysed_figure(_builder, name: str, _function, analysis: str, filters: Filters, args: tuple, options: tuple,
                     data_version: str) -> go.Figure:
    # name and analysis stand for _builder and _function in the key; a new data version builds it again
    return SharedFigure.of(_builder(analysed(_function, filters, *args), **dict(options)))


def analysed_figure(builder, function, filters: Filters, *args, **options) -> go.Figure:
    """Return builder(analysed(function, filters, *args), **options), built once per filter state.

    Keyed by the filter state (a few small values), not by the content of the aggregated frame.
    """
    return _analysed_figure(builder, qualified_name(builder), function, qualified_name(function), filters,
                            tuple(args), tuple(sorted(options.items())), data_key())
