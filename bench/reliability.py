"""Reliability figures for the README (可靠性): kills survived, concurrent saves kept, hostile files bounded.

    .venv/bin/python bench/reliability.py            # writes bench/out/reliability.json and prints a summary
    .venv/bin/python bench/reliability.py --rounds 5

A benchmark, not a test (the tests in tests/test_store_reliability.py and
tests/test_hostile_files.py assert the same properties): it counts and times.
  - kills: a save and a restore are killed (SIGKILL) at each of their write, fsync,
    rename, mkdir and delete steps in turn; survived = the folder is wholly old or
    wholly new, with its history record, no leftovers, loadable, and the next save works
  - concurrent saves: rounds of 4 `python -m loaders import` of 4 different notices
    started at once; kept = notices present afterwards
  - hostile files: `python -m loaders validate FILE` in a fresh process: wall time, peak
    memory (ru_maxrss), the message; and the web check (read_package_isolated): time and
    how much the calling (server) process grew
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders.curated import DEFAULT_CURATED_DIR, read_curated
from loaders.package import UploadedFile
from loaders.security.isolated import read_package_isolated
from tests.test_hostile_files import check_in_process
from tests.test_store_reliability import kill_at_every_step, notice_variant
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


def kills() -> dict:
    from loaders import store

    found = {}
    for mode in ("save", "restore"):
        with tempfile.TemporaryDirectory() as folder:
            curated = scratch(Path(folder))
            if mode == "restore":
                raw, _ = read_curated(curated)
                store.save_tables(curated, {"tasks": raw["tasks"].iloc[:-3]}, "删三行")
            tried, survived = kill_at_every_step(curated, mode)
            found[mode] = {"tried": tried, "survived": survived}
    return found


def concurrent(rounds: int) -> dict:
    tried = kept = refused_then_replanned = 0
    for round_number in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            curated = scratch(Path(folder))
            paths = []
            for number in (2, 3, 4, 5):
                paths.append(Path(folder) / f"notice_{number}.xlsx")
                paths[-1].write_bytes(notice_variant(number))
            runs = [subprocess.Popen([sys.executable, "-m", "loaders", "--curated", str(curated), "import", str(p)],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for p in paths]
            outputs = [run.communicate(timeout=600)[0] for run in runs]
            documents = set(read_curated(curated)[0]["documents"]["doc_no"])
            tried += 4
            kept += sum(f"测试〔2024〕{n}号" in documents for n in (2, 3, 4, 5))
            refused_then_replanned += sum(out.count("已按现在的数据重新检查") for out in outputs)
        print(f"  round {round_number + 1}: kept {kept}/{tried}", flush=True)
    return {"tried": tried, "kept": kept, "replanned": refused_then_replanned}


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
    args = parser.parse_args()
    results = {}
    print("hostile files", flush=True)
    results["hostile"] = hostile()
    print("concurrent imports", flush=True)
    results["concurrent"] = concurrent(args.rounds)
    print("kills", flush=True)
    results["kills"] = kills()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "reliability.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "hostile"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
