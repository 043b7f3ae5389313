"""progress.csv and task_status.csv in `python -m loaders export OUTDIR --as-of` (both databases)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.clock import local_today
from loaders.progress.export import CONTRACT, write_progress_export
from loaders.progress.reports import ReportDraft, Writer, report

ROOT = Path(__file__).resolve().parents[2]


def export(database_url: str, out: Path, as_of: str, frames) -> dict[str, pd.DataFrame]:
    write_progress_export(frames, out, database_url, date.fromisoformat(as_of))
    return read(out)


def read(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(out / name, dtype=str, keep_default_na=False) for name in CONTRACT}


def test_export_writes_reports_and_status(engine, database_url, book, lead_of, frames, tmp_path):
    admin = Writer("管理员", is_admin=True)
    task = "2022-annual-01-01"
    today = local_today()
    report(engine, ReportDraft(task, "2022-Q4", 60, "进展", "问题", "措施", "请协调", "5.1%"), book, lead_of(task),
           today)
    report(engine, ReportDraft(task, "2022-Q4", 100, "已完成", "", "", "", "6.8%"), book, admin, today)
    as_of = today.isoformat()
    tables = export(database_url, tmp_path, as_of, frames)
    for name, columns in CONTRACT.items():
        assert list(tables[name].columns[: len(columns)]) == columns
    progress = tables["progress.csv"]
    assert list(progress["percent"]) == ["60", "100"]
    assert list(progress["reported_by"]) == ["填报员", "管理员"]
    assert progress.iloc[0]["coordination"] == "请协调" and progress.iloc[0]["unit"] == "区发改局"
    # written in the district's time with its offset (the same moment as the stored UTC time)
    assert all(value.endswith("+08:00") for value in progress["reported_at"])
    status = tables["task_status.csv"]
    assert len(status) == len(frames.tasks) and set(status["as_of"]) == {as_of}
    row = status[status["task_id"] == task].iloc[0]
    assert (row.status, row.latest_percent, row.expected_percent, row.last_period) == ("done", "100", "100",
                                                                                     "2022-Q4")
    unreported = status[status["task_id"] == "2022-annual-01-02"].iloc[0]
    assert unreported.status == "not_reported" and unreported.latest_percent == ""
    assert unreported.overdue_periods == "2022-Q1、2022-Q2、2022-Q3、2022-Q4"
    assert set(status["status"]) <= {"done", "on_track", "behind", "far_behind", "not_reported", "not_started"}


def test_reports_recorded_after_the_as_of_date_are_left_out_of_the_status(engine, database_url, book, lead_of,
                                                                           tmp_path, frames):
    task = "2022-annual-01-01"
    report(engine, ReportDraft(task, "2022-Q1", 100), book, lead_of(task), local_today())
    status = export(database_url, tmp_path, "2022-04-06", frames)["task_status.csv"]
    row = status[status["task_id"] == task].iloc[0]
    assert row.status == "not_reported" and row.expected_percent == "24.66"


def test_export_command_without_a_database_creates_none(tmp_path):
    """The command line writes both files next to the others, and does not create a database to do so."""
    missing = tmp_path / "none.sqlite3"
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "loaders", "export", str(out), "--as-of", "2022-07-06",
                             "--database", f"sqlite:///{missing}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert (out / "tasks.csv").exists()
    tables = read(out)
    assert not missing.exists()
    assert len(tables["progress.csv"]) == 0 and set(tables["task_status.csv"]["status"]) == {"not_reported"}
