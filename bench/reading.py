"""Benchmark: machine time to import a notice as published (loaders/reading → plan → atomic save).

    .venv/bin/python bench/reading.py            # medians of 5 runs; prints a table, writes bench/reading.json
    .venv/bin/python bench/reading.py --browser  # the 数据维护 page in Chromium: file chosen → preview → saved

Each run copies the dictionaries into a fresh data folder with no notice in it and imports the
notice there through the command line's code path (read, check, plan, save with history).
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from loaders import cli
from loaders.curated import DEFAULT_CURATED_DIR, SPECS, read_curated
from loaders.package import UploadedFile
from loaders.reading import ReadOptions, read_notice
from tests.notices.make import printed_docx


ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "data" / "sources").glob("*.txt"))
REPEATS = 5


def empty_folder(base: Path) -> Path:
    folder = base / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, folder)
    for name in ("documents", "tables", "tasks", "leaders"):
        pd.DataFrame(columns=list(SPECS[name].columns)).to_csv(folder / SPECS[name].file, index=False)
    return folder


def timed_import(path: Path) -> float:
    with tempfile.TemporaryDirectory() as base:
        folder = empty_folder(Path(base))
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["--curated", str(folder), "import", str(path), "--accept-new"])
        elapsed = time.perf_counter() - start
    assert code == 0, path
    return elapsed


def timed_read(name: str, data: bytes, current) -> float:
    start = time.perf_counter()
    read_notice(UploadedFile(name, data), ReadOptions(), current, accept_new=True)
    return time.perf_counter() - start


def main() -> None:
    current, _ = read_curated(DEFAULT_CURATED_DIR)
    rows = []
    with tempfile.TemporaryDirectory() as base:
        docx = Path(base) / "2022.docx"
        docx.write_bytes(printed_docx(current, "温鹿政办〔2022〕4号"))
        for label, path, tasks in (("2020 通知原文（文本）", SOURCES[0], 96), ("2022 通知原文（文本）", SOURCES[1], 161),
                                   ("2022 通知（Word）", docx, 161)):
            data = path.read_bytes()
            read = statistics.median(timed_read(path.name, data, current) for _ in range(REPEATS))
            full = statistics.median(timed_import(path) for _ in range(REPEATS))
            rows.append({"notice": label, "tasks": tasks, "read_s": round(read, 3), "import_s": round(full, 3),
                         "import_s_per_100_tasks": round(full / tasks * 100, 3)})
    print("| 通知 | 任务数 | 读取原文（秒） | 读取+检查+保存（秒） | 折合每100条（秒） |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['notice']} | {row['tasks']} | {row['read_s']} | {row['import_s']} | {row['import_s_per_100_tasks']} |")
    (ROOT / "bench" / "reading.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__" and "--browser" not in sys.argv:
    main()


def browser_flow(source: Path) -> dict:
    """Time the 数据维护 page for one notice in a real browser: choose the file → preview shown → 确认保存 → saved.

    Counts what a person does: screens (the one page), clicks (choose file, open, save) and the rows the
    page asks to look at first.
    """
    from playwright.sync_api import sync_playwright

    from tools.server import CHROMIUM, CHROMIUM_ARGS, start_server, wait_ready

    with tempfile.TemporaryDirectory() as base:
        folder = empty_folder(Path(base))
        secrets = Path(base) / "secrets.toml"
        secrets.write_text('[admin]\npassword = "bench-password"\n', encoding="utf-8")
        server = start_server({"WORK_REPORT_CURATED_DIR": str(folder)}, ["--secrets.files", str(secrets)])
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(f"{server.url}/admin")
                wait_ready(page)
                page.get_by_label("管理员密码").fill("bench-password")
                page.get_by_role("button", name="登录").click()
                wait_ready(page)
                start = time.perf_counter()
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(source))
                page.get_by_text("导入预览（尚未保存）").wait_for(timeout=120_000)
                wait_ready(page)
                preview = time.perf_counter() - start
                heading = page.get_by_text("逐条核对（").first.inner_text()
                start = time.perf_counter()
                page.get_by_role("button", name="确认保存").click()
                page.get_by_text("已保存：").wait_for(timeout=120_000)
                saved = time.perf_counter() - start
                browser.close()
        finally:
            server.stop()
    return {"notice": source.name, "upload_to_preview_s": round(preview, 2), "save_s": round(saved, 2),
            "rows_heading": heading}


if __name__ == "__main__" and "--browser" in sys.argv:
    for source in SOURCES:
        print(browser_flow(source))
