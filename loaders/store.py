"""Saving the curated tables: atomically, one writer at a time, with every earlier version kept.

    save_tables(curated, {name: frame}, action)
      lock (data/.curated.lock; a second writer is refused, not interleaved)
      → copy the current files to data/history/<version>/ (state "pending")
      → write the new folder next to data/curated/ and fsync it
      → swap the two folders in one step (renameat2 RENAME_EXCHANGE on Linux)
      → mark the version "saved", remove the old folder

Until the swap, data/curated/ is untouched; the swap itself is atomic. A crash
at any point leaves either the old or the new folder complete; `recover()`
(run under the lock before every save) removes what a crash left behind.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from loaders.curated import SPECS, read_csv_text, table_bytes
from loaders.frames import load_frames

LOCK_WAIT_SECONDS = 5
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class SaveBusy(Exception):
    """Another import or restore is saving the curated tables right now."""


@dataclass(frozen=True)
class Version:
    """A saved earlier state of the curated tables (a folder under data/history/)."""

    version: str
    saved_at: str
    action: str  # what replaced this state: 导入 …, 恢复到 …
    by: str
    documents: tuple[str, ...]
    tasks: int


def history_dir(curated: Path) -> Path:
    """Return the history folder that belongs to a curated folder (data/history/)."""
    return Path(curated).parent / "history"


def lock_path(curated: Path) -> Path:
    """Return the lock file next to a curated folder (data/.curated.lock)."""
    return Path(curated).parent / f".{Path(curated).name}.lock"


@contextmanager
def writer_lock(curated: Path, wait: float | None = None):
    """Hold the one writer lock of a curated folder; SaveBusy when another writer keeps it."""
    lock = FileLock(str(lock_path(curated)), timeout=LOCK_WAIT_SECONDS if wait is None else wait)
    try:
        lock.acquire()
    except Timeout as error:
        raise SaveBusy("另一位管理员正在保存数据，请稍后再试") from error
    try:
        yield
    finally:
        lock.release()


def save_tables(curated: Path, tables: dict[str, pd.DataFrame], action: str, by: str = "") -> str:
    """Replace the named curated tables atomically; return the version that keeps the old ones."""
    changes = {name: table_bytes(frame) for name, frame in tables.items()}
    return save_files(curated, changes, action, by)


def save_files(curated: Path, changes: dict[str, bytes], action: str, by: str = "") -> str:
    """Replace the named curated files (bytes by table name) atomically; return the history version."""
    curated = Path(curated)
    with writer_lock(curated):
        recover(curated)
        version = _snapshot(curated, action, by)
        staging = curated.parent / f".{curated.name}.staging-{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir()
            for name, spec in SPECS.items():
                data = changes[name] if name in changes else (curated / spec.file).read_bytes()
                _write_file(staging / spec.file, data)
            _fsync_dir(staging)
            _swap(staging, curated)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(history_dir(curated) / version, ignore_errors=True)
            raise
        _mark_saved(curated, version)
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old files, kept in history
    return version


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap(staging: Path, curated: Path) -> None:
    """Put staging in place of curated; afterwards staging holds the old files."""
    if _exchange(staging, curated):
        _fsync_dir(curated.parent)
        return
    # without an atomic exchange: two renames; recover() puts the old folder back if a crash falls between
    previous = curated.parent / f".{curated.name}.previous"
    os.rename(curated, previous)
    os.rename(staging, curated)
    os.rename(previous, staging)
    _fsync_dir(curated.parent)


def recover(curated: Path) -> None:
    """Remove what an interrupted save left behind (call with the writer lock held)."""
    curated = Path(curated)
    previous = curated.parent / f".{curated.name}.previous"
    if previous.exists() and not curated.exists():
        os.rename(previous, curated)
    for leftover in curated.parent.glob(f".{curated.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    history = history_dir(curated)
    for meta_path in history.glob("*/meta.json") if history.exists() else ():
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("state") != "pending":
            continue
        if _same_files(meta_path.parent, curated):
            shutil.rmtree(meta_path.parent)  # the save never landed: nothing to keep
        else:
            _mark_saved(curated, meta_path.parent.name)  # it landed; only the mark was lost


def _same_files(first: Path, second: Path) -> bool:
    return all((first / s.file).read_bytes() == (second / s.file).read_bytes()
               for s in SPECS.values() if (first / s.file).exists() and (second / s.file).exists())


def _snapshot(curated: Path, action: str, by: str) -> str:
    """Copy the current curated files to a new history version marked pending; return its name."""
    version = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = history_dir(curated) / version
    target.mkdir(parents=True)
    for spec in SPECS.values():
        if (curated / spec.file).exists():
            shutil.copy2(curated / spec.file, target / spec.file)
    documents = read_csv_text(target / SPECS["documents"].file)["doc_no"].tolist()
    tasks = len(read_csv_text(target / SPECS["tasks"].file))
    meta = {"version": version, "saved_at": datetime.now().isoformat(timespec="seconds"), "action": action,
            "by": by, "documents": documents, "tasks": tasks, "state": "pending"}
    _write_file(target / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    return version


def _mark_saved(curated: Path, version: str) -> None:
    path = history_dir(curated) / version / "meta.json"
    meta = json.loads(path.read_text("utf-8"))
    meta["state"] = "saved"
    temporary = path.with_suffix(".tmp")
    _write_file(temporary, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(temporary, path)


def versions(curated: Path) -> list[Version]:
    """Return the saved earlier versions, newest first."""
    history = history_dir(curated)
    found = []
    for meta_path in sorted(history.glob("*/meta.json"), reverse=True) if history.exists() else ():
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("state") == "saved":
            found.append(Version(meta["version"], meta["saved_at"], meta["action"], meta.get("by", ""),
                                 tuple(meta["documents"]), int(meta["tasks"])))
    return found


def version_dir(curated: Path, version: str) -> Path:
    """Return the folder of a saved version; KeyError when there is none by that name."""
    if version not in {v.version for v in versions(curated)}:
        raise KeyError(version)
    return history_dir(curated) / version


def restore(curated: Path, version: str, by: str = "") -> str:
    """Make a saved version current again (the state it replaces is kept as a new version)."""
    source = version_dir(curated, version)
    load_frames(source)  # CuratedDataError: a version that no longer loads is not put back
    changes = {name: (source / spec.file).read_bytes() for name, spec in SPECS.items()}
    return save_files(curated, changes, f"恢复到版本 {version}", by)
