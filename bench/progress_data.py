"""Seed a progress database for the benchmark: every task of a curated folder reported for the 4 quarters of its year.

    .venv/bin/python bench/progress_data.py bench/out/x100 bench/out/x100-progress.sqlite3

At ×100 that is 25,700 tasks × 4 quarters = 102,800 reports, with percents spread so
that every status occurs, a coordination request on one report in 20 and milestones
on one task in 10 (the load issue 13 asks the pages to bear). The reports are saved
as the ledger import saves them (loaders.progress.reports.save_reports, one
transaction), dated 5 days after the end of the last year (a year-end ledger).
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from loaders.frames import load_frames
from loaders.progress import periods
from loaders.progress.db import open_database, transaction
from loaders.progress.models import Milestone
from loaders.progress.reports import reports_frame, save_reports

ROOT = Path(__file__).resolve().parents[1]


def seed(curated: Path, path: Path) -> int:
    """Write a fresh SQLite database at path with the reports and milestones; return the number of reports."""
    path.unlink(missing_ok=True)
    engine = open_database(f"sqlite:///{path}")
    frames = load_frames(curated)
    lead = frames.task_units[frames.task_units["role"] == "lead"].drop_duplicates("task_id").set_index("task_id")
    rows, milestones = [], []
    for number, task in enumerate(frames.tasks.itertuples()):
        unit = lead["unit"].get(task.task_id, "区政府办")
        pace = (number * 37) % 100  # a spread of paces: done, on track, behind and far behind all occur
        for quarter in range(1, 5):
            if number % 13 == 0 and quarter == 4:
                continue  # some tasks have not reported the last quarter (未报送)
            rows.append({"task_id": task.task_id, "period": periods.quarter(task.year, quarter).label,
                         "percent": float(min(100, round(25 * quarter * (0.5 + pace / 180)))),
                         "progress": f"第{quarter}季度按计划推进", "problems": "无" if number % 7 else "资金未到位",
                         "next_steps": "继续推进", "coordination": "需区领导协调用地" if number % 20 == 0 else "",
                         "value_reached": "", "district": task.district, "unit": unit, "reported_by": "基准"})
        if number % 10 == 0:
            milestones.append(Milestone(task_id=task.task_id, due_date=date(task.year, 6, 30), what="完成方案",
                                        done_on=None, unit=unit, plan_at=datetime.now(timezone.utc),
                                        recorded_by="基准"))
    saved = save_reports(engine, rows, source="ledger",
                         at=datetime(frames.tasks["year"].max(), 12, 31, tzinfo=timezone.utc) + timedelta(days=5))
    with transaction(engine) as session:
        session.add_all(milestones)
    if len(reports_frame(engine)) != saved:  # a benchmark of an empty database would measure nothing
        raise RuntimeError(f"{path}: {saved} reports saved but {len(reports_frame(engine))} read back")
    return saved


if __name__ == "__main__":
    print(seed(Path(sys.argv[1]), Path(sys.argv[2])), "reports")
