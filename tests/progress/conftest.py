"""Progress fixtures: a fresh database on SQLite and on PostgreSQL (screens and commands: ON_SQLITE_ONLY)."""

from __future__ import annotations

import pytest

from loaders.progress.db import forget, open_database
from loaders.progress.reports import Writer, task_book
from tests.databases import wiped_postgres


# For tests of a screen or a command whose database work (storing, reading, migrating) is tested on both
# databases elsewhere: the test runs once, on SQLite. Tests of storage and reading run on both.
ON_SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The URL of an empty, not yet migrated database: a SQLite file, or the test PostgreSQL database wiped.

    The pages cache what they read per (URL, highest row ids); a wiped PostgreSQL database
    starts its ids again, so those caches are cleared: a test never sees the previous one's rows.
    """
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    else:
        url = wiped_postgres()
    yield url
    forget(url)


@pytest.fixture
def engine(database_url):
    """A migrated, empty progress database (SQLite, then PostgreSQL)."""
    return open_database(database_url)


@pytest.fixture(scope="session")
def book(frames):
    """task_id → TaskInfo of the bundled data."""
    return task_book(frames.tasks, frames.task_units)


@pytest.fixture(scope="session")
def lead_of(frames):
    """A Writer for the (first) lead unit of a task of the bundled data."""

    def writer(task_id: str, name: str = "填报员") -> Writer:
        units = frames.task_units
        row = units[(units["task_id"] == task_id) & (units["role"] == "lead")].iloc[0]
        return Writer(name, row["district"], row["unit"])

    return writer

