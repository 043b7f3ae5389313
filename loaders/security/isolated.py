"""Reading an upload in a child process with hard limits, so the web server stays small and fast.

    read_package_isolated(files)                 an import package of curated tables
    read_notice_isolated(upload, options, …)     a notice as published (Word, Excel, text, PDF)
      → `python -m loaders.security.isolated` with the work on stdin (pickled)
        child: RLIMIT_AS (memory), RLIMIT_CPU, lower CPU priority; the reader; result pickled to stdout
      → the reader's result; a child that runs out of memory or time becomes a problem, not a crash

The limits in loaders/security/workbook.py already bound the work; this is the
second wall: whatever a parser does with a hostile file, it does it in a process
that is killed at MEMORY_LIMIT_BYTES or TIMEOUT_SECONDS, and the viewers' pages
are served by a server process whose memory did not grow.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

from loaders.package import Package, UploadedFile, read_package
from loaders.problems import Problem

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space: Python with pandas and openpyxl needs ~700 MB of it
TIMEOUT_SECONDS = 60
_ROOT = Path(__file__).resolve().parents[2]
_FIX = "一次导入一份通知；删去与责任分解表无关的工作表、空行、图片和格式后再试"


def read_package_isolated(files: list[UploadedFile], memory: int = MEMORY_LIMIT_BYTES,
                          timeout: float = TIMEOUT_SECONDS) -> tuple[Package, list[Problem]]:
    """Return read_package(files) computed in a child process with memory and time limits."""
    names = "、".join(f.name for f in files) or "（未选择文件）"
    work = ("package", [(f.name, f.data, f.size) for f in files])
    return _run(work, names, memory, timeout, lambda problem: (Package(), [problem]))


def read_notice_isolated(upload: UploadedFile, options, current: dict, accept_new: bool = False,
                         memory: int = MEMORY_LIMIT_BYTES, timeout: float = TIMEOUT_SECONDS):
    """Return loaders.reading.read_notice(upload, options, current, accept_new) computed in a child process."""
    from loaders.reading import Reading, empty_rows

    work = ("notice", (upload.name, upload.data, upload.size, options, current, accept_new))
    return _run(work, upload.name, memory, timeout,
                lambda problem: Reading(upload.name, options.district, {}, empty_rows(), [], [problem]))


def _run(work, names: str, memory: int, timeout: float, failed):
    payload = pickle.dumps(work)
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
                   "PYTHONPATH": str(_ROOT)}
    try:
        child = subprocess.run([sys.executable, "-m", "loaders.security.isolated", str(memory), str(int(timeout))],
                               input=payload, capture_output=True, timeout=timeout, cwd=_ROOT, env=environment)
    except subprocess.TimeoutExpired:
        return failed(Problem(names, None, None, f"检查超时（超过 {timeout:.0f} 秒），文件过大或过于复杂", _FIX,
                              code="too_large"))
    if child.returncode != 0 or not child.stdout:
        return failed(Problem(names, None, None,
                              f"读取文件时超出内存或时间上限（{memory // 1024 // 1024} MB，{timeout:.0f} 秒），文件过大或过于复杂",
                              _FIX, code="too_large"))
    return pickle.loads(child.stdout)  # noqa: S301 - written by our own child process


def _child(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    os.nice(10)  # the viewers' pages come first
    kind, work = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - written by our own parent process
    try:
        if kind == "package":
            result = read_package([UploadedFile(name, data, size) for name, data, size in work])
        else:
            from loaders.reading import read_notice
            name, data, size, options, current, accept_new = work
            result = read_notice(UploadedFile(name, data, size), options, current, accept_new)
    except MemoryError:
        sys.exit(3)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
