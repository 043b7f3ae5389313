"""Benchmark: a cold start of the dashboard on the bundled data, from the process start to the first chart drawn.

    .venv/bin/python bench/cold_start.py                       # this checkout; prints seconds
    PYTHONPATH=/tmp/before .venv/bin/python bench/cold_start.py --root /tmp/before
    farm-bench -n 7 --timeout 900 -- .venv/bin/python bench/cold_start.py \
        --vs "env PYTHONPATH=/tmp/before .venv/bin/python bench/cold_start.py --root /tmp/before"

A fresh copy of data/curated/ and, unless --no-database, a database that already holds
its store (a restarted installation: the dashboard checks the folder against it on every
run); the server of the checkout named by --root starts, headless Chromium opens 领导分工
and waits for its first drawn chart. Compare two versions of the code with farm-bench
(--vs), which pairs the runs and reports the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.server import CHROMIUM, free_port

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose dashboard is started")
    parser.add_argument("--no-database", action="store_true", help="start without a database (a fresh clone)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        curated = Path(folder) / "curated"
        shutil.copytree(ROOT / "data" / "curated", curated)
        env = {**os.environ, "WORK_REPORT_CURATED_DIR": str(curated), "PYTHONPATH": str(args.root),
               "WORK_REPORT_DATABASE_URL": f"sqlite:///{Path(folder) / 'work_report.sqlite3'}"}
        if not args.no_database:  # the database of an installation, its store made at an earlier start
            subprocess.run([sys.executable, "-m", "loaders", "--curated", str(curated), "history"], cwd=args.root,
                           env=env, check=True, capture_output=True)
        port = free_port()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            started = time.perf_counter()
            server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                       "--server.address", "127.0.0.1", "--server.headless", "true",
                                       "--browser.gatherUsageStats", "false"], cwd=args.root, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                while True:
                    try:
                        page.goto(f"http://127.0.0.1:{port}/leaders")
                        break
                    except Exception:  # not listening yet
                        time.sleep(0.05)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                print(f"{time.perf_counter() - started:.3f}")
            finally:
                server.terminate()
                server.wait(timeout=20)
                browser.close()


if __name__ == "__main__":
    main()
