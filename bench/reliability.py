"""Reliability figures for the README (可靠性): kills survived, concurrent saves kept, hostile files bounded.

    .venv/bin/python bench/reliability.py            # writes bench/out/reliability.json and prints a summary
    .venv/bin/python bench/reliability.py --rounds 5

A benchmark, not a test (the tests in tests/test_store_reliability.py and
tests/test_hostile_files.py assert the same properties): it counts and times.
For each store (the database store on SQLite and on PostgreSQL, and the store of files):
  - save: the save of a checked import of a 260-task notice, timed (median, p95)
  - kills: a save and a restore are killed (SIGKILL) at each of their steps in turn (the
    database transaction before the version is stored and before the commit; each write,
    fsync, rename, mkdir and delete of the folder); survived = the folder is wholly old or
    wholly new, with its history record, no leftovers, loadable, and the next save works
  - concurrent saves: rounds of 4 `python -m loaders import` of 4 different notices
    started at once; kept = notices present afterwards
PostgreSQL: the database of WORK_REPORT_TEST_DATABASE_URL (eval "$(bash scripts/postgres.sh)"), emptied.
  - hostile files: `python -m loaders validate FILE` in a fresh process: wall time, peak
    memory (ru_maxrss), the message; and the web check (read_package_isolated): time and
    how much the calling (server) process grew
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from openpyxl import load_workbook

from loaders import store
from loaders.curated import DEFAULT_CURATED_DIR, read_curated
from loaders.package import UploadedFile
from loaders.progress.db import URL_VARIABLE, open_database
from loaders.security.isolated import read_package_isolated
from tests.databases import wiped_postgres
from tests.test_hostile_files import check_in_process
from tests.test_store_reliability import kill_at_every_step, killed_runner, notice_variant, plan_of
from tools.hostile_files import HOSTILE

ROOT = Path(__file__).resolve().parents[1]


def scratch(folder: Path) -> Path:
    curated = folder / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, curated)
    return curated


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


STORES = {"sqlite": None, "postgresql": None, "files": None}  # the environment of each store, set in main()


def environment_of(kind: str, folder: Path) -> dict[str, str]:
    """The environment a save runs with for a store: the database store on SQLite or PostgreSQL, or the files."""
    if kind == "files":
        return {store.STORE_VARIABLE: "files"}
    url = f"sqlite:///{folder / 'store.sqlite3'}" if kind == "sqlite" else wiped_postgres()
    open_database(url)  # an installation's database: made at its first save or report
    return {store.STORE_VARIABLE: "database", URL_VARIABLE: url}


@contextmanager
def environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def deleted_three_rows(curated: Path) -> None:
    raw, _ = read_curated(curated)
    store.save_tables(curated, {"tasks": raw["tasks"].iloc[:-3]}, "删三行")


def kills(kind: str) -> dict:
    found = {}
    for mode in ("save", "restore"):
        with tempfile.TemporaryDirectory() as folder:
            values = environment_of(kind, Path(folder))
            curated = scratch(Path(folder))
            with environment(values), killed_runner(Path(folder)) as run:
                tried, survived = kill_at_every_step(run, values, curated, mode,
                                                     setup=deleted_three_rows if mode == "restore" else None)
            found[mode] = {"tried": tried, "survived": survived}
        print(f"  {kind} {mode}: {found[mode]}", flush=True)
    return found


def concurrent(kind: str, rounds: int) -> dict:
    tried = kept = refused_then_replanned = 0
    for round_number in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            values = environment_of(kind, Path(folder))
            curated = scratch(Path(folder))
            paths = []
            for number in (2, 3, 4, 5):
                paths.append(Path(folder) / f"notice_{number}.xlsx")
                paths[-1].write_bytes(notice_variant(number))
            runs = [subprocess.Popen([sys.executable, "-m", "loaders", "--curated", str(curated), "import", str(p)],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **values})
                    for p in paths]
            outputs = [run.communicate(timeout=600)[0] for run in runs]
            with environment(values):
                store.sync(curated)
            documents = set(read_curated(curated)[0]["documents"]["doc_no"])
            tried += 4
            kept += sum(f"测试〔2024〕{n}号" in documents for n in (2, 3, 4, 5))
            refused_then_replanned += sum(out.count("注意：") for out in outputs)
        print(f"  {kind} round {round_number + 1}: kept {kept}/{tried}", flush=True)
    return {"tried": tried, "kept": kept, "replanned": refused_then_replanned}


def save_times(kind: str, saves: int) -> dict:
    """Time the save of a checked import of a 260-task notice (plan made, then save_tables): median and p95."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        values = environment_of(kind, Path(folder))
        with environment(values):
            for number in range(saves):
                curated = scratch(Path(folder) / str(number))
                store.versions(curated)  # the store exists before the timing, as on a running installation
                plan = plan_of(big_notice(number), curated)
                started = time.perf_counter()
                store.save_tables(curated, {n: plan.merged[n] for n in plan.changed}, plan.action(), base=plan.base)
                times.append(time.perf_counter() - started)
    times.sort()
    result = {"saves": saves, "tasks": len(plan.merged["tasks"]) - 257, "median_s": round(statistics.median(times), 3),
              "p95_s": round(times[max(0, int(len(times) * 0.95) - 1)], 3), "max_s": round(times[-1], 3)}
    print(f"  {kind} save: {result}", flush=True)
    return result


def big_notice(number: int) -> bytes:
    """A notice of 260 tasks: good_2024.xlsx's 28 tasks repeated, numbered on, as its own notice."""
    book = load_workbook(io.BytesIO(notice_variant(100 + number)))
    sheet = book["tasks"]
    headers = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    annual = [r for r in rows if r[headers.index("table_id")].endswith("annual")]
    task_id, seq = headers.index("task_id"), headers.index("seq")
    start = max(int(r[seq]) for r in annual)
    for copy in range(260 - len(rows)):
        row = list(annual[copy % len(annual)])
        row[task_id] = f"{row[task_id]}-x{copy}"
        row[seq] = start + copy + 1
        for column in ("section", "subsection"):
            if column in headers:
                row[headers.index(column)] = annual[-1][headers.index(column)]
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hostile() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        curated = scratch(Path(folder))
        for name, (generate, expected) in HOSTILE.items():
            target = Path(folder) / f"file-{len(rows)}"
            target.mkdir()
            path = generate(target)
            started = time.perf_counter()
            code, peak, error = check_in_process(path, curated)
            seconds = time.perf_counter() - started
            message = next((line[2:] for line in error.splitlines() if line.startswith("- ")), "")
            row = {"file": name, "bytes": path.stat().st_size, "cli_seconds": round(seconds, 2), "cli_peak_mb": peak,
                   "exit": code, "message": message.split("。处理办法")[0]}
            if path.stat().st_size <= 5 * 1024 * 1024:  # the web uploader refuses bigger files itself
                before = rss_mb()
                started = time.perf_counter()
                _, problems = read_package_isolated([UploadedFile(path.name, path.read_bytes())])
                row["web_seconds"] = round(time.perf_counter() - started, 2)
                row["web_server_growth_mb"] = round(rss_mb() - before, 1)
            rows.append(row)
            print(f"  {name}: {row}", flush=True)
            shutil.rmtree(target)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--saves", type=int, default=20, help="saves of a 260-task import timed per store")
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql", "files"], choices=list(STORES))
    parser.add_argument("--skip-hostile", action="store_true")
    args = parser.parse_args()
    results = {}
    if not args.skip_hostile:
        print("hostile files", flush=True)
        results["hostile"] = hostile()
    for kind in args.stores:
        print(f"store: {kind}", flush=True)
        results[kind] = {"save": save_times(kind, args.saves), "concurrent": concurrent(kind, args.rounds),
                         "kills": kills(kind)}
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "reliability.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "hostile"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
