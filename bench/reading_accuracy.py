"""How well the notice reader does, per notice and overall (not a test: it asserts nothing).

    .venv/bin/python bench/reading_accuracy.py [FOLDER…] [--formats txt,docx,xlsx,pdf]

FOLDER holds notices with a hand-read `X.gold.json` beside each (tools/reading_accuracy.py says
the format); the default is tests/notices/layouts/. A notice copied as .txt is also laid out as
.docx, .xlsx and a PDF (tools/notice_formats.py). Each file is imported as a new user would: only
the district named, new units and leaders accepted. Prints, per file, whether it imported on the
first try, the tasks exactly right (text found, lead units, supporting units, leaders, and the note
where the gold gives one), the extra tasks read, the targets found, and the machine time; then the
totals. Point it at a folder of notices that are not in the repository to check the reader on them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tools.notice_formats import FORMATS
from tools.reading_accuracy import empty_curated, notices, score

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT / "tests" / "notices" / "layouts"])
    parser.add_argument("--formats", default="txt,docx,xlsx,pdf")
    args = parser.parse_args()
    kinds = [k for k in args.formats.split(",") if k]
    rows, times = [], []
    for folder in args.folders:
        for notice, gold in notices(folder):
            files = ([(f"{notice.stem}.{k}", FORMATS[k](notice.read_text("utf-8"))) for k in kinds]
                     if notice.suffix == ".txt" else [(notice.name, notice.read_bytes())])
            for name, data in files:
                with tempfile.TemporaryDirectory() as scratch:
                    curated = empty_curated(Path(scratch) / "curated")
                    started = time.process_time()
                    result = score(name, data, gold, curated)
                    times.append(time.process_time() - started)
                rows.append(result)
                mark = "导入" if result.imported else "未导入"
                print(f"{name:<44} {mark:<4} 完全正确 {result.right:>3}/{result.tasks:<3} 多读 {result.extra:<2} "
                      f"指标 {result.targets:<3} 机时 {times[-1]:.2f}s")
                for line in (result.problems[:3] + result.wrong[:5]):
                    print("    " + line)
    imported = sum(r.imported for r in rows)
    tasks = sum(r.tasks for r in rows)
    right = sum(r.right for r in rows)
    print(f"\n文件 {len(rows)} 个：首次即导入 {imported}（{imported / max(len(rows), 1):.0%}）；"
          f"任务 {tasks} 项：完全正确 {right}（{right / max(tasks, 1):.0%}），多读 {sum(r.extra for r in rows)} 项；"
          f"指标 {sum(r.targets for r in rows)} 个；每份机时中位数 {statistics.median(times):.2f}s，最长 {max(times):.2f}s")


if __name__ == "__main__":
    main()
