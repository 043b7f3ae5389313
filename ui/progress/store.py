"""落实进度's data in the server: the shared database engine, the stored records and boards, read once per version."""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import func, select as sql_select
from sqlalchemy.exc import SQLAlchemyError

from loaders.clock import local_text, local_today
from loaders.progress.board import Board, build_board
from loaders.progress.db import open_database
from loaders.progress.models import Comment, Milestone, NoticeCadence, Report, Review
from loaders.progress.reports import cadences, comments_frame, milestones_frame, reports_frame, task_book
from loaders.progress.reviews import reviews_frame, with_reviews
from loaders.select import Filters, select
from ui.cache import cached_frames, data_key, shared
from ui.database import configured_url, unreachable


@st.cache_resource(show_spinner="正在连接落实进度数据库…")
def _engine(url: str):
    return open_database(url)


def engine():
    """Return the shared, migrated engine; show what is wrong and stop when the database cannot be reached."""
    try:
        return _engine(configured_url())
    except (SQLAlchemyError, OSError) as error:
        unreachable(error)
        raise


def progress_stamp() -> str:
    """Return when the latest progress report was saved and by which unit ("" before the first report).

    Shown in every page's sidebar under the data stamp. Read at most once a second
    per process, like data_version(): a report saved in this process forgets it
    (forget_version), other replicas show it within a second. A database that
    cannot be reached is named, and the page itself goes on.
    """
    return _recent_stamp(configured_url())


@st.cache_resource(ttl=1, max_entries=8, show_spinner=False)
def _recent_stamp(url: str) -> str:
    try:
        with _engine(url).connect() as connection:
            latest = connection.execute(sql_select(Report.reported_at, Report.unit).order_by(Report.id.desc())
                                        .limit(1)).first()
    except (SQLAlchemyError, OSError):
        return "落实进度数据库暂时无法连接，进度数据未显示"
    if latest is None:
        return ""
    return f"进度填报更新于 {local_text(latest.reported_at)}（{latest.unit}）"


def today() -> date:
    return local_today()


def data_version() -> str:
    """Return a key that changes whenever anything is written, read at most once a second per process.

    Counting the reports (which catches saves committed out of id order on PostgreSQL)
    is not free on large data, and a page asks two or three times per run; a write in this
    process forgets the stored key (forget_version), so the writer sees it at once and
    other replicas within a second.
    """
    engine()  # shows what is wrong and stops when the database cannot be reached
    return _recent_version(configured_url())


@st.cache_resource(ttl=1, max_entries=8, show_spinner=False)
def _recent_version(url: str) -> str:
    return _version(_engine(url), url)


def forget_version() -> None:
    """Make the next data_version() read the database again (called after every write from the pages)."""
    _recent_version.clear()
    _recent_stamp.clear()


def _version(db, url: str) -> str:
    with db.connect() as connection:
        # the count too: on PostgreSQL a save can commit after a later id is visible, not raising max(id)
        marks = [connection.execute(sql_select(func.max(model.id), func.count(model.id))).one()
                 for model in (Report, Review, Milestone, NoticeCadence, Comment)]
    return f"{url}|{marks}"


@st.cache_resource(show_spinner=False)
def _report_log(url: str) -> dict:
    """The reports read so far from one database, shared by every session (with a lock for the update)."""
    return {"lock": threading.Lock(), "frame": None}


def _reports(url: str) -> pd.DataFrame:
    """Return every report stored in the database, reading only those stored since the last call.

    Reports are append-only (the database refuses UPDATE and DELETE), so the rows read
    before stay true and only newer ids need reading: at ×100 (100,000 reports) a full
    read takes seconds, which every save would otherwise cost the next viewer. The
    stored count checks that no row was missed.
    """
    log = _report_log(url)
    with log["lock"]:
        frame = log["frame"]
        last = int(frame["id"].max()) if frame is not None and len(frame) else 0
        db = open_database(url)
        if last and not _still_stored(db, frame[frame["id"] == last].iloc[0]):
            frame, last = None, 0  # the database was replaced (a restore; tests recreate it): read it all
        new = reports_frame(db, after_id=last)
        if frame is None or not len(frame):
            frame = new
        elif len(new):
            frame = pd.concat([frame, new], ignore_index=True)
        with db.connect() as connection:
            stored = connection.execute(sql_select(func.count(Report.id))).scalar()
        if stored != len(frame):
            # on PostgreSQL two saves can commit out of id order, so a lower id may appear after a
            # higher one was read: then read everything again (rare; the count catches it)
            frame = reports_frame(db)
        log["frame"] = frame
        return frame


def _still_stored(db, row) -> bool:
    """Return whether the database still holds this report as read (same id, task and time)."""
    with db.connect() as connection:
        found = connection.execute(sql_select(Report.task_id, Report.reported_at).where(Report.id == int(row["id"]))
                                   ).first()
    return found is not None and found.task_id == row["task_id"] and pd.Timestamp(found.reported_at) == row["reported_at"]


@st.cache_resource(max_entries=4, show_spinner=False)
def _stored(version: str):
    url = version.split("|", 1)[0]
    db = open_database(url)
    # each report with its latest review (审核): statuses count what the review allows
    return with_reviews(_reports(url), reviews_frame(db)), milestones_frame(db), cadences(db), comments_frame(db)


def stored():
    """Return (reports, milestones, cadences, comments) as stored now, read once per data version."""
    return _stored(data_version())


def stored_for(version: str):
    """Return (reports, milestones, cadences, comments) of a data version (from data_version())."""
    return _stored(version)


@st.cache_resource(max_entries=32, show_spinner="正在计算序时进度…")
def _board(key: str, version: str, filters: Filters, as_of: date) -> Board:
    reports, milestones, cadence, _ = _stored(version)
    # the same objects for every session of this state: what pages join to them (ui.cache.derived) is made once
    return shared(build_board(select(cached_frames(key), filters), reports, milestones, cadence, as_of))




def progress_board(filters: Filters, as_of: date) -> Board:
    """Return the board of the selected tasks as of a date, computed once per data version, filters and date."""
    return _board(data_key(), data_version(), filters, as_of)


def book():
    """Return task_id → TaskInfo of the current data."""
    frames = cached_frames(data_key())
    return task_book(frames.tasks, frames.task_units)


def stored_if_readable():
    """Return stored(), or None when the database cannot be read (screens of the plan still work without it)."""
    try:
        return _stored(_recent_version(configured_url()))  # the shared key: no extra queries per run
    except (SQLAlchemyError, OSError):
        return None


def has_progress(records) -> bool:
    """Return whether anything was reported or planned (records from stored_if_readable)."""
    return records is not None and (len(records[0]) > 0 or len(records[1]) > 0)
