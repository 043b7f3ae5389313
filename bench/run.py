"""Benchmark: loader, server-side page scripts, browser timings, WebSocket bytes and memory.

    .venv/bin/python bench/run.py                  # scales 1, 10, 100; writes bench/results.json
    .venv/bin/python bench/run.py --scales 100 --repeats 3

A benchmark, not a test: it measures and reports medians (and p95 where asked);
it asserts nothing. The machine is shared and noisy, so compare ratios and
medians, not single runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from pathlib import Path

from bench.progress_data import seed as seed_progress
from loaders.frames import load_frames
from tools.scale_data import write_scaled
from tools.server import CHROMIUM, CHROMIUM_ARGS, READY, Server

ROOT = Path(__file__).resolve().parents[1]

PAGES = ["pages/overview.py", "pages/leaders.py", "pages/units.py", "pages/tasks.py",
         "pages/targets.py", "pages/about.py", "pages/meeting.py", "pages/progress.py"]
OUT = ROOT / "bench" / "out"
TIMEOUT_MS = 180_000
# Every simulated person looks at their own, visible tab: without these flags headless
# Chromium throttles the timers and animation frames of the tabs it considers hidden,
# which measures the harness, not the dashboard.
BENCH_CHROMIUM_ARGS = CHROMIUM_ARGS + ["--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                                       "--disable-backgrounding-occluded-windows"]


def median(values):
    return round(statistics.median(values), 4)


def percentile(values, q):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 4)


def time_loader(directory: Path, repeats: int) -> dict:
    """Cold: a full read → validate → normalise → extract. Cached: a st.cache_data hit."""
    import streamlit as st

    cold = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_frames(directory)
        cold.append(time.perf_counter() - start)

    @st.cache_data
    def cached(path: str):
        return load_frames(Path(path))

    cached(str(directory))
    hits = []
    for _ in range(repeats):
        start = time.perf_counter()
        cached(str(directory))
        hits.append(time.perf_counter() - start)
    return {"loader_cold_s": median(cold), "loader_cached_s": median(hits)}


def time_pages(directory: Path, repeats: int) -> dict:
    """Server-side script time of every page (AppTest, warm cache) and of the bare page."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    # A server compiles each script once (one ScriptCache on its Runtime). AppTest makes a
    # new cache per run, which would time compiling app.py and the page (and Streamlit's
    # magic AST pass) on every run: 0.02-0.07 s per page at any scale, more for a long page.
    # One shared cache makes the figure the script's own run time, as in the server.
    shared_script_cache = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared_script_cache
    os.environ["WORK_REPORT_CURATED_DIR"] = str(directory)
    results = {}

    def run(script: str, page: str | None) -> float:
        app = AppTest.from_file(str(ROOT / script), default_timeout=600)
        app.run()
        if page:
            app.switch_page(page)
        start = time.perf_counter()
        app.run()
        elapsed = time.perf_counter() - start
        if app.exception:
            raise RuntimeError(f"{page or script}: {app.exception[0].message}")
        return elapsed

    run("bench/bare_page.py", None)  # fill the cache
    # 落实进度 the first time: the statuses of every task are computed (then cached per data version)
    results["progress_board_cold_s"] = round(run("app.py", "pages/progress.py"), 4)
    results["bare_page_s"] = median([run("bench/bare_page.py", None) for _ in range(repeats)])
    for page in PAGES:
        seconds = median([run("app.py", page) for _ in range(repeats)])
        results[f"page_{Path(page).stem}_s"] = seconds
        results[f"page_{Path(page).stem}_ratio"] = round(seconds / results["bare_page_s"], 2)
    return results


async def _ready(page):
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS)


async def _load_to_chart(browser, url: str, count_bytes: bool = False, chart: bool = True) -> tuple[float, int]:
    """Return seconds from navigation to the first drawn chart (or to the finished run), and bytes received."""
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    received = [0]
    if count_bytes:
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))))
    start = time.perf_counter()
    await page.goto(url)
    if chart:
        await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
    else:
        await _ready(page)
    elapsed = time.perf_counter() - start
    await _ready(page)
    await context.close()
    return elapsed, received[0]


async def _filter_changes(browser, url: str, changes: int) -> tuple[float, list[float]]:
    """Return the time to the page's first chart, then the times from choosing a year to the redrawn chart.

    A person changes a filter once the page is on screen: the first change waits
    for the page's own first chart. (Until 2026-11-23 it started when the script
    had finished, so the first change also timed the initial drawing of the
    charts, 11-13 s with 8 pages loading at once; that load time is now
    reported on its own.)
    """
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    start = time.perf_counter()
    await page.goto(url)
    await _ready(page)
    await page.wait_for_selector(".js-plotly-plot .main-svg")
    loaded = time.perf_counter() - start
    timings = []
    for index in range(changes):
        year = "2020" if index % 2 == 0 else "2022"
        await page.locator('[data-testid="stSelectbox"]', has_text="年度").first.click()
        await page.get_by_role("option", name=year, exact=True).click()
        start = time.perf_counter()
        await page.wait_for_function(
            """year => document.querySelector('[data-testid="stText"]')?.innerText.includes(year + '年')
                      && document.querySelector('[data-test-script-state="notRunning"]')
                      && document.querySelector('.js-plotly-plot .main-svg')""",
            arg=year, timeout=TIMEOUT_MS, polling=20)
        timings.append(time.perf_counter() - start)
    await context.close()
    return loaded, timings


def process_cpu(pid: int) -> float | None:
    """Return the CPU time (user + system, seconds) a process has used so far, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(pids) -> float:
    """Return the CPU time (user + system) used so far by these processes."""
    return sum(filter(None, (process_cpu(pid) for pid in pids)))


class BrowserCpu:
    """The CPU time of every Chromium process while a phase runs, sampled every 0.2 s.

    A tab's renderer process exits when its context closes, taking its CPU time
    with it, so reading /proc once at the end would miss most of it (it did until
    2026-11-23). The last value seen for each process is kept.
    """

    def __init__(self) -> None:
        self.before = {pid: process_cpu(pid) or 0.0 for pid in browser_pids()}
        self.last: dict[int, float] = dict(self.before)
        self._task: asyncio.Task | None = None

    async def _sample(self) -> None:
        while True:
            for pid in browser_pids():
                used = process_cpu(pid)
                if used is not None:
                    self.last[pid] = used
            await asyncio.sleep(0.2)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def stop(self) -> float:
        """Stop sampling and return the CPU seconds the browsers used since the start."""
        self._task.cancel()
        return round(sum(used - self.before.get(pid, 0.0) for pid, used in self.last.items()), 1)


def browser_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"chromium" in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def time_browser(directory: Path, repeats: int, changes: int) -> dict:
    from playwright.async_api import async_playwright

    os.environ["WORK_REPORT_CURATED_DIR"] = str(directory)
    results: dict = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BENCH_CHROMIUM_ARGS)
        cold = []
        for _ in range(repeats):
            server = Server()
            server.wait_healthy()
            cold.append((await _load_to_chart(browser, f"{server.url}/leaders"))[0])
            server.stop()
        results["browser_first_chart_cold_s"] = median(cold)

        server = Server()
        server.wait_healthy()
        await _load_to_chart(browser, f"{server.url}/leaders")
        warm = [await _load_to_chart(browser, f"{server.url}/leaders") for _ in range(repeats)]
        results["browser_first_chart_warm_s"] = median([w[0] for w in warm])
        for page in ("", "leaders", "units", "tasks", "targets"):
            _, sent = await _load_to_chart(browser, f"{server.url}/{page}", count_bytes=True, chart=False)
            results[f"ws_bytes_{page or 'overview'}"] = sent
        # the overview: two charts, as a leader sees it first; the same page for 1 and 8 sessions
        _, one = await _filter_changes(browser, f"{server.url}/", changes)
        results["filter_to_chart_1_session_p50_s"] = median(one)
        results["filter_to_chart_1_session_p95_s"] = percentile(one, 0.95)
        server_before, browsers = cpu_seconds([server.process.pid]), BrowserCpu()
        browsers.start()
        eight = await asyncio.gather(*[_filter_changes(browser, f"{server.url}/", changes)
                                       for _ in range(8)])
        # where the CPU went while 8 sessions changed filters: the server or the browsers
        results["cpu_server_s_8_sessions"] = round(cpu_seconds([server.process.pid]) - server_before, 1)
        results["cpu_browsers_s_8_sessions"] = await browsers.stop()
        flat = [t for _, session in eight for t in session]
        results["browser_first_chart_8_sessions_p50_s"] = median([loaded for loaded, _ in eight])
        results["browser_first_chart_8_sessions_max_s"] = round(max(loaded for loaded, _ in eight), 3)
        results["filter_to_chart_8_sessions_p50_s"] = median(flat)
        results["filter_to_chart_8_sessions_p95_s"] = percentile(flat, 0.95)
        results["server_peak_rss_mb"] = peak_rss_mb(server.process.pid)
        server.stop()
        await browser.close()
    return results


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    memory = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal")), "0")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1),
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--changes", type=int, default=10, help="filter changes per browser session")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--merge", action="store_true", help="keep the other scales already in --output")
    args = parser.parse_args()

    report = {"machine": machine(), "repeats": args.repeats, "scales": {}}
    if args.merge and args.output.exists():
        report["scales"] = json.loads(args.output.read_text("utf-8"))["scales"]
    for scale in args.scales:
        directory = write_scaled(scale, OUT / f"x{scale}")
        tasks = len(load_frames(directory).tasks)
        print(f"== ×{scale}: {tasks} tasks", flush=True)
        figures = {"tasks": tasks}
        # every page runs with progress: each task reported for the 4 quarters of its year (bench/progress_data.py)
        database = OUT / f"x{scale}-progress.sqlite3"
        figures["progress_reports"] = seed_progress(directory, database)
        os.environ["WORK_REPORT_DATABASE_URL"] = f"sqlite:///{database}"
        figures.update(time_loader(directory, args.repeats))
        figures.update(time_pages(directory, args.repeats))
        figures.update(asyncio.run(time_browser(directory, min(args.repeats, 3), args.changes)))
        report["scales"][f"x{scale}"] = figures
        for key, value in figures.items():
            print(f"  {key:40s} {value}", flush=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    return 0


def print_table(report: dict) -> None:
    scales = list(report["scales"])
    keys = list(report["scales"][scales[0]])
    print("\n" + "指标".ljust(42) + "".join(s.rjust(14) for s in scales))
    for key in keys:
        print(key.ljust(42) + "".join(str(report["scales"][s].get(key, "")).rjust(14) for s in scales))


if __name__ == "__main__":
    raise SystemExit(main())
