"""progress.csv and task_status.csv of the export contract (README “导出约定”)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from loaders.clock import as_local, local_today
from loaders.frames import Frames
from loaders.progress.db import database_url, exists, open_database
from loaders.progress.reports import cadences, milestones_frame, reports_frame
from loaders.progress.reviews import reviews_frame, with_reviews
from loaders.progress.status import STATUS_COLUMNS, task_status

CONTRACT = {
    "progress.csv": ["task_id", "period", "percent", "progress", "problems", "next_steps", "coordination",
                     "value_reached", "unit", "reported_by", "reported_at"],
    "task_status.csv": STATUS_COLUMNS,
}
EXTRA = {"progress.csv": ["district", "source"], "task_status.csv": ["district"]}
_EMPTY_REPORTS = pd.DataFrame(columns=["id", "task_id", "period", "percent", "progress", "problems", "next_steps",
                                       "coordination", "value_reached", "district", "unit", "reported_by",
                                       "reported_at", "source", "reported_on"])


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def stored_progress(url: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, str]]:
    """Return (reports, milestones, cadences) as the database at url (default: the configured one) holds them."""
    url = database_url(url)
    if not exists(url):  # no database yet: nothing reported; do not create one just to read it
        return _EMPTY_REPORTS.copy(), None, {}
    engine = open_database(url)
    return with_reviews(reports_frame(engine), reviews_frame(engine)), milestones_frame(engine), cadences(engine)


def progress_tables(frames: Frames, url: str | None = None, as_of: date | None = None) -> dict[str, pd.DataFrame]:
    """Return progress.csv (every report, corrections included) and task_status.csv (as of a date)."""
    as_of = as_of or local_today()
    reports, milestones, cadence = stored_progress(url)
    progress = reports.sort_values(["task_id", "period", "id"]).copy()
    progress["percent"] = progress["percent"].map(_number)
    progress["reported_at"] = [as_local(t.to_pydatetime()).isoformat(timespec="seconds")  # local, with its offset
                               for t in progress["reported_at"]]
    status = task_status(frames.tasks, reports, milestones, cadence, as_of)
    status["district"] = frames.tasks["district"].to_numpy()
    for column in ("expected_percent", "latest_percent"):
        status[column] = status[column].map(_number)
    return {"progress.csv": progress[CONTRACT["progress.csv"] + EXTRA["progress.csv"]],
            "task_status.csv": status[CONTRACT["task_status.csv"] + EXTRA["task_status.csv"]]}


def write_progress_export(frames: Frames, out_dir: Path, url: str | None = None,
                          as_of: date | None = None) -> list[Path]:
    """Write progress.csv and task_status.csv (UTF-8) into out_dir and return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in progress_tables(frames, url, as_of).items():
        path = out_dir / name
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written
