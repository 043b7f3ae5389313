"""Benchmark of 落实进度 (not a test: it measures and prints, it asserts nothing).

1. Saving: 1,000 reports saved by 20 concurrent clients (processes, like replicas or busy
   sessions), each save checked and committed in its own transaction; p50/p95 per save,
   on SQLite (a fresh file) and on PostgreSQL (WORK_REPORT_TEST_DATABASE_URL or --postgres;
   the schema of that database is wiped first, so never point it at real data).
2. Status: task_status over 25,000 tasks × 4 quarterly reports (the ×100 scale of bench/).

    .venv/bin/python bench/progress_bench.py [--postgres URL] [--clients 20] [--reports 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from loaders.frames import load_frames
from loaders.progress.db import make_engine, open_database
from loaders.progress.reports import ReportDraft, Writer, report, reports_frame, task_book
from loaders.progress.status import task_status


ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2022, 12, 1)
_state: dict = {}


def _init(url: str, book) -> None:
    _state["engine"] = open_database(url)
    _state["book"] = book


def _client(jobs: list[tuple[str, str, str, str]]) -> list[float]:
    """Save each job (task_id, period, district, unit) as its unit; return seconds per save."""
    times = []
    for number, (task_id, period, district, unit) in enumerate(jobs):
        started = time.perf_counter()
        problems = report(_state["engine"], ReportDraft(task_id, period, 10 + number % 90, "进展" * 50, "问题", "措施"),
                          _state["book"], Writer(f"bench-{os.getpid()}", district, unit), TODAY)
        times.append(time.perf_counter() - started)
        if problems:
            raise RuntimeError(str(problems[0]))
    return times


def bench_saves(url: str, clients: int, total: int) -> dict:
    frames = load_frames()
    book = task_book(frames.tasks, frames.task_units)
    leads = frames.task_units[(frames.task_units["role"] == "lead") & (frames.task_units["year"] == 2022)
                              & (frames.task_units["scope"] == "annual")]
    pairs = list(leads[["task_id", "district", "unit"]].itertuples(index=False))
    periods = ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]
    jobs = [(pairs[i % len(pairs)].task_id, periods[(i // len(pairs)) % 4], pairs[i % len(pairs)].district,
             pairs[i % len(pairs)].unit) for i in range(total)]
    chunks = [jobs[i::clients] for i in range(clients)]
    open_database(url)  # migrate once before the clients start
    with multiprocessing.get_context("spawn").Pool(clients, initializer=_init, initargs=(url, book)) as pool:
        times = [t for chunk in pool.map(_client, chunks) for t in chunk]
    stored = len(reports_frame(open_database(url)))
    quantiles = statistics.quantiles(times, n=100)
    return {"saves": len(times), "stored": stored, "p50_ms": round(quantiles[49] * 1000, 1),
            "p95_ms": round(quantiles[94] * 1000, 1)}


def bench_status(n_tasks: int = 25_000) -> dict:
    tasks = pd.DataFrame({"task_id": [f"t{i}" for i in range(n_tasks)], "year": 2022,
                          "scope": ["five_year" if i % 5 == 0 else "annual" for i in range(n_tasks)], "doc_no": "D"})
    rows = [(f"t{i}", f"2022-Q{q}", 20 * q, date(2022, 3 * q, 28), i * 4 + q)
            for i in range(n_tasks) for q in range(1, 5)]
    reports = pd.DataFrame(rows, columns=["task_id", "period", "percent", "reported_on", "id"])
    started = time.perf_counter()
    status = task_status(tasks, reports, as_of=date(2022, 12, 31))
    return {"tasks": n_tasks, "reports": len(reports), "seconds": round(time.perf_counter() - started, 2),
            "statuses": status["status"].value_counts().to_dict()}


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("WORK_REPORT_TEST_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite    ", bench_saves(f"sqlite:///{folder}/bench.sqlite3", args.clients, args.reports), flush=True)
    if args.postgres:
        reset_postgres(args.postgres)
        print("PostgreSQL", bench_saves(args.postgres, args.clients, args.reports), flush=True)
    else:
        print("PostgreSQL: skipped, no URL (run eval \"$(bash scripts/postgres.sh)\" first)")
    print("status    ", bench_status(), flush=True)


if __name__ == "__main__":
    main()
