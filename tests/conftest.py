"""Shared fixtures: the bundled data loaded once, the source notices, a scratch copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from loaders.curated import DEFAULT_CURATED_DIR
from loaders.frames import Frames, load_frames

SOURCES_DIR = ROOT / "data" / "sources"


@pytest.fixture(scope="session", autouse=True)
def progress_database(tmp_path_factory):
    """A scratch progress database for pages that read it (任务明细, 落实进度), unless a test names its own.

    Without it the pages would open data/progress.sqlite3 of the checkout, and what someone
    reported there would change what the tests see.
    """
    from loaders.progress.db import URL_VARIABLE

    patch = pytest.MonkeyPatch()
    patch.setenv(URL_VARIABLE, f"sqlite:///{tmp_path_factory.mktemp('progress') / 'progress.sqlite3'}")
    yield
    patch.undo()


@pytest.fixture(scope="session")
def frames() -> Frames:
    """The frames built from the bundled curated tables (loaded once per session)."""
    return load_frames()


@pytest.fixture(scope="session")
def source_lines() -> dict[str, list[str]]:
    """The published notices in data/sources/, as lists of lines, by file name."""
    return {path.name: path.read_text("utf-8").splitlines() for path in SOURCES_DIR.glob("*.txt")}


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    """A writable copy of data/curated/ for tests that break it on purpose."""
    target = tmp_path / "curated"
    # the tables only: a page run of another test may have marked data/curated/ with its .version
    shutil.copytree(DEFAULT_CURATED_DIR, target, ignore=shutil.ignore_patterns(".*"))
    return target


@pytest.fixture
def task(frames):
    """Look up one task row by id."""

    def lookup(task_id: str):
        rows = frames.tasks[frames.tasks["task_id"] == task_id]
        assert len(rows) == 1, task_id
        return rows.iloc[0]

    return lookup


@pytest.fixture
def units_of(frames):
    """The {unit: (role, source)} assignments of one task."""

    def lookup(task_id: str) -> dict[str, tuple[str, str]]:
        rows = frames.task_units[frames.task_units["task_id"] == task_id]
        return {r.unit: (r.role, r.source) for r in rows.itertuples()}

    return lookup
