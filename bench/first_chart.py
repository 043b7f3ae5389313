"""Benchmark: time to first chart of every page of a fresh tab, over a one-chart Streamlit page (the framework floor).

    .venv/bin/python bench/first_chart.py                    # ×1 and ×100 in one run; writes bench/first_chart.json
    .venv/bin/python bench/first_chart.py --scales 1 --repeats 3

For each scale two servers run side by side on the same data: the dashboard and
bench/floor_page.py (Streamlit, the same cached tables, one plotly chart). Each
measurement opens a new browser context (an empty cache, like a first visit), goes
to the page and waits for its first drawn chart, or its first table on pages
without a chart (任务明细, 数据说明), its first figures on 汇报模式' first slide. Floor and pages are measured in turn within each round
(interleaved), so a noisy neighbour slows both; the figure that counts is the
median ratio page ÷ floor. Pages are visited once before timing so the server's
caches are warm, as they are for every visitor but the first.

A benchmark, not a test: it measures and reports, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from bench.run import BENCH_CHROMIUM_ARGS, OUT, browser_pids, machine, process_cpu
from tools.scale_data import write_scaled
from tools.server import CHROMIUM, READY, Server

ROOT = Path(__file__).resolve().parents[1]

# url path → what its reader waits for first
PAGES = {"": "chart", "leaders": "chart", "units": "chart", "targets": "chart", "progress": "chart",
         "tasks": "table", "meeting": "metric", "about": "table"}
CHART = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"] canvas, [data-testid="stTable"]'
SELECTORS = {"chart": CHART, "table": TABLE, "metric": '[data-testid="stMetric"]'}  # 汇报模式 opens on figures
TIMEOUT_MS = 60_000


async def first_visit(browser, url: str, wait_for: str, server_pids: tuple[int, ...] = ()) -> dict:
    """Open url in an empty context; return seconds to the first chart (or table), to the finished run, and bytes."""
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    frames = [0]
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda payload: frames.__setitem__(0, frames[0] + len(payload))))
    before = {pid: process_cpu(pid) or 0.0 for pid in browser_pids() + list(server_pids)}
    start = time.perf_counter()
    await page.goto(url)
    try:
        await page.wait_for_selector(SELECTORS[wait_for], state="visible")
    except Exception as error:  # say which page, not only which selector
        raise RuntimeError(f"{url}: no {wait_for} within {TIMEOUT_MS / 1000:.0f} s") from error
    first = time.perf_counter() - start
    # CPU time of the browser and the servers until then: unlike wall time it hardly changes when other
    # processes compete for the cores, so it shows what a page costs even on a busy machine
    cpu = sum((process_cpu(pid) or 0.0) - before.get(pid, 0.0) for pid in browser_pids() + list(server_pids))
    await page.wait_for_selector(READY)
    done = time.perf_counter() - start
    http = 0
    for request in finished:
        sizes = await request.sizes()
        http += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    await context.close()
    return {"first_s": first, "first_cpu_s": cpu, "done_s": done, "http_bytes": http, "ws_bytes": frames[0]}


async def measure_scale(directory: Path, repeats: int, progress_url: str | None) -> dict:
    from playwright.async_api import async_playwright

    env = {"WORK_REPORT_CURATED_DIR": str(directory)}
    if progress_url:
        env["WORK_REPORT_DATABASE_URL"] = progress_url
    app, floor = Server(env=env), Server(env=env, script="bench/floor_page.py")
    results: dict = {}
    try:
        app.wait_healthy(), floor.wait_healthy()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BENCH_CHROMIUM_ARGS)
            pids = (app.process.pid, floor.process.pid)
            targets = {"floor": (floor.url + "/", "chart")}
            targets.update({path or "overview": (f"{app.url}/{path}", wait) for path, wait in PAGES.items()})
            for url, wait in targets.values():  # warm the server caches
                await first_visit(browser, url, wait, pids)
            runs: dict[str, list[dict]] = {name: [] for name in targets}
            for _ in range(repeats):
                for name, (url, wait) in targets.items():
                    runs[name].append(await first_visit(browser, url, wait, pids))
            await browser.close()
    finally:
        app.stop(), floor.stop()
    floor_first = statistics.median(r["first_s"] for r in runs["floor"])
    floor_cpu = statistics.median(r["first_cpu_s"] for r in runs["floor"])
    for name, visits in runs.items():
        first = statistics.median(r["first_s"] for r in visits)
        cpu = statistics.median(r["first_cpu_s"] for r in visits)
        results[name] = {"first_s": round(first, 3), "ratio": round(first / floor_first, 2),
                         "first_cpu_s": round(cpu, 3), "cpu_ratio": round(cpu / floor_cpu, 2),
                         "done_s": round(statistics.median(r["done_s"] for r in visits), 3),
                         "http_bytes": int(statistics.median(r["http_bytes"] for r in visits)),
                         "ws_bytes": int(statistics.median(r["ws_bytes"] for r in visits))}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--progress-url", help="a progress database for 落实进度 (default: an empty SQLite file)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "first_chart.json")
    args = parser.parse_args()
    report = {"machine": machine(), "repeats": args.repeats, "load_before": os.getloadavg()[0], "scales": {}}
    for scale in args.scales:
        directory = write_scaled(scale, OUT / f"x{scale}")
        progress_url = args.progress_url or f"sqlite:///{OUT / f'x{scale}-empty-progress.sqlite3'}"
        print(f"== ×{scale}", flush=True)
        report["scales"][f"x{scale}"] = asyncio.run(measure_scale(directory, args.repeats, progress_url))
        for name, figures in report["scales"][f"x{scale}"].items():
            print(f"  {name:10s} {figures}", flush=True)
    report["load_after"] = os.getloadavg()[0]
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    return 0


def print_table(report: dict) -> None:
    scales = list(report["scales"])
    print("\n| 页面 | " + " | ".join(f"{s} 到第一张图（秒） | {s} ÷ 底线" for s in scales) + " |")
    print("| --- |" + " ---: | ---: |" * len(scales))
    for name in report["scales"][scales[0]]:
        cells = []
        for scale in scales:
            figures = report["scales"][scale][name]
            cells += [str(figures["first_s"]), str(figures["ratio"])]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
