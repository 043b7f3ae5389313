"""Reading an uploaded package in a child process with hard limits, so the web server stays small and fast.

    read_package_isolated(files)
      → `python -m loaders.security.isolated` with the files on stdin (pickled)
        child: RLIMIT_AS (memory), RLIMIT_CPU, lower CPU priority; read_package; result pickled to stdout
      → (Package, problems); a child that runs out of memory or time becomes a problem, not a crash

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
    payload = pickle.dumps([(f.name, f.data, f.size) for f in files])
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
                   "PYTHONPATH": str(_ROOT)}
    try:
        child = subprocess.run([sys.executable, "-m", "loaders.security.isolated", str(memory), str(int(timeout))],
                               input=payload, capture_output=True, timeout=timeout, cwd=_ROOT, env=environment)
    except subprocess.TimeoutExpired:
        return Package(), [Problem(names, None, None, f"检查超时（超过 {timeout:.0f} 秒），文件过大或过于复杂", _FIX)]
    if child.returncode != 0 or not child.stdout:
        return Package(), [Problem(names, None, None,
                                   f"读取文件时超出内存或时间上限（{memory // 1024 // 1024} MB，{timeout:.0f} 秒），文件过大或过于复杂",
                                   _FIX)]
    return pickle.loads(child.stdout)  # noqa: S301 - written by our own child process


def _child(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    os.nice(10)  # the viewers' pages come first
    files = [UploadedFile(name, data, size) for name, data, size in pickle.loads(sys.stdin.buffer.read())]
    try:
        result = read_package(files)
    except MemoryError:
        sys.exit(3)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
