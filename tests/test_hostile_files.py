"""Hostile import files: every limit holds before the work, every attack gets a clear message, memory stays small.

The files are generated (tools/hostile_files.py). Each is checked by the command line
in its own process, so its peak memory (ru_maxrss) can be read; the time each takes is
measured in bench/reliability.py, not here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from loaders.package import UploadedFile, read_package
from loaders.problems import Problem, cap_problems
from loaders.security.isolated import read_package_isolated
from tools.hostile_files import GOOD, HOSTILE, many_rows, zip_bomb_string

ROOT = Path(__file__).resolve().parents[1]
PEAK_LIMIT_MB = 400  # Python with pandas and openpyxl is ~150 MB; the reported files took 1.3–4.2 GB

# The child's own peak: VmHWM of its address space. (ru_maxrss is not: a child started with vfork, as
# subprocess does, inherits the parent's high-water mark at exec, so it would report the test process's size.)
CHECK = textwrap.dedent("""
    from loaders import cli
    code = cli.main(["--curated", {curated!r}, "validate", {path!r}])
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
    print("PEAK", peak, "CODE", code)
""")


def check_in_process(path: Path, curated: Path) -> tuple[int, int, str]:
    """Return (exit code, peak memory in MB, stderr) of `python -m loaders validate FILE` in a fresh process."""
    script = CHECK.format(root=str(ROOT), curated=str(curated), path=str(path))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    words = result.stdout.split()
    return int(words[words.index("CODE") + 1]), int(words[words.index("PEAK") + 1]), result.stderr


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_gets_a_clear_message_with_little_memory(name, tmp_path, curated_copy):
    generate, expected = HOSTILE[name]
    path = generate(tmp_path)
    code, peak, error = check_in_process(path, curated_copy)
    assert "Traceback" not in error and str(ROOT) not in error
    assert peak < PEAK_LIMIT_MB, (name, peak)
    if expected is None:  # a harmless oddity: read as usual
        assert "超过" not in error
    else:
        assert code == 1 and expected in error, error
        assert "处理办法" in error


def test_a_one_gigabyte_file_is_refused_without_reading_it(tmp_path, curated_copy):
    from tools.hostile_files import one_gigabyte
    from loaders.cli import read_files

    (upload,) = read_files([one_gigabyte(tmp_path)])
    assert upload.size == 1024 ** 3 and len(upload.data) <= 5 * 1024 * 1024 + 1


def test_a_lying_dimension_reads_the_real_rows(tmp_path):
    from tools.hostile_files import lying_dimension

    data = lying_dimension(tmp_path).read_bytes()
    package, problems = read_package([UploadedFile("lying.xlsx", data)])
    good, _ = read_package([UploadedFile("good.xlsx", GOOD.read_bytes())])
    assert problems == []
    assert package.tables["tasks"].shape == good.tables["tasks"].shape


def test_problems_are_capped_per_file_with_a_count():
    problems = [Problem("a.xlsx", n, "seq", "错", "改") for n in range(250)] + [Problem("b.csv", 1, None, "错", "改")]
    capped = cap_problems(problems, limit=100)
    assert len(capped) == 102
    (summary,) = [p for p in capped if "未列出" in p.message]
    assert summary.file == "a.xlsx" and "另有 150 处" in summary.message and "共 250 处" in summary.message


def test_thousands_of_bad_rows_are_reported_as_the_first_hundred_and_a_count(tmp_path, curated_copy):
    """A 1,000-row sheet of bad rows: one message per row would be 1,000+ lines."""
    from loaders.cli import read_files
    from loaders.importing import plan_import

    package, problems = read_package(read_files([many_rows(tmp_path, 1_000)]))
    if not problems:
        _, problems = plan_import(package, curated_copy)
    per_file = [p for p in problems if p.file == "rows_1000.xlsx"]
    assert len(per_file) == 101 and "未列出" in per_file[-1].message


def test_the_web_check_runs_in_a_child_with_a_memory_limit(tmp_path):
    """ui.importer reads uploads with read_package_isolated: a file that needs too much memory kills only the child."""
    good = [UploadedFile("good.xlsx", GOOD.read_bytes())]
    package, problems = read_package_isolated(good)
    assert problems == [] and len(package.tables["tasks"]) == 28
    _, problems = read_package_isolated(good, memory=200 * 1024 * 1024)
    (problem,) = problems
    assert "超出内存或时间上限（200 MB" in problem.message and problem.fix


def test_the_web_check_of_a_zip_bomb_returns_a_problem(tmp_path):
    bomb = zip_bomb_string(tmp_path, megabytes=50)
    _, problems = read_package_isolated([UploadedFile(bomb.name, bomb.read_bytes())])
    assert "超过 20 MB 的上限" in problems[0].message
