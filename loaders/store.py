"""Saving the curated tables: atomically, one writer at a time, checked against what was planned, every earlier version kept.

The entry points (save_tables, save_files, restore, versions, damaged_records, settle, sync)
keep every version in the database (loaders/storage/database.py, the default) and mirror
the current one into the curated folder with replace_folder() below. With
WORK_REPORT_CURATED_STORE=files they keep the earlier store of files described next, which
an installation used before its first start with the database (that start moves it in).

The store of files:
    save_tables(curated, {name: frame}, action, base=plan.base)
      lock (data/.curated.lock; a second writer waits a few seconds, then is refused, never interleaved)
      → recover() what an interrupted save left behind
      → the files must still be the version the change was planned on (base), else StaleBase says what changed
      → write the new folder next to data/curated/ and fsync it
      → copy the current files to data/history/<version>/, then its record meta.json ("pending",
        with the checksums before and after), each written to a temporary file, fsynced and renamed
      → swap the two folders in one step (renameat2 RENAME_EXCHANGE on Linux)
      → mark the record "saved" (atomically), remove the old folder

Until the swap, data/curated/ is untouched; the swap itself is atomic. A kill at
any point leaves either the old or the new folder complete, and `recover()`
(run under the lock before every save, and by `versions()` when no save is
running) finishes the record or removes it: a pending record whose "after"
checksums are live is marked saved, one whose "before" checksums are still live
never landed and is removed, a history folder without a record is removed.
An unreadable record is skipped and reported (`damaged_records`), never fatal.
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
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from loaders.clock import local_now, local_text, utc_text
from loaders.curated import SPECS, files_token, parse_csv_bytes, read_curated_files, table_bytes
from loaders.frames import load_frames

LOCK_WAIT_SECONDS = 5
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
META = "meta.json"
STORE_VARIABLE = "WORK_REPORT_CURATED_STORE"  # database (default) or files


def in_database() -> bool:
    """Return whether the curated tables are kept in the database (the default) rather than under data/history/."""
    return os.environ.get(STORE_VARIABLE, "database").strip() != "files"


def _database():
    # imported when used: the database store builds on this module (replace_folder, the lock, the errors)
    from loaders.storage import database

    return database


class SaveBusy(Exception):
    """Another import or restore is saving the curated tables right now."""


class StaleBase(Exception):
    """The curated tables changed after the change was planned; saving it would lose that change."""

    def __init__(self, changed_files: list[str], latest: "Version | None"):
        self.changed_files = changed_files
        self.latest = latest
        what = "、".join(changed_files)
        if latest is not None:
            by = f"，{latest.by}" if latest.by else ""
            since = f"期间有人保存了：{latest.action}（{local_text(latest.saved_at)}{by}），{what} 已改变"
        else:
            since = f"期间 {what} 被直接修改"
        super().__init__(f"检查之后规范表已被修改（{since}）。本次未保存，以免覆盖这次修改；"
                         "请按现在的数据重新检查后再保存。")


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


def save_tables(curated: Path, tables: dict[str, pd.DataFrame], action: str, by: str = "",
                base: dict[str, str] | None = None, url: str | None = None) -> str:
    """Replace the named curated tables atomically; return the version that keeps the old ones.

    base: the checksums of the files the change was planned on (ImportPlan.base);
    StaleBase when they changed since.
    """
    changes = {name: table_bytes(frame) for name, frame in tables.items()}
    return save_files(curated, changes, action, by, base, url)


def save_files(curated: Path, changes: dict[str, bytes], action: str, by: str = "",
               base: dict[str, str] | None = None, url: str | None = None) -> str:
    """Replace the named curated files (bytes by table name) atomically; return the version that keeps the old ones."""
    if in_database():
        return _database().save_files(curated, changes, action, by, base, url)
    curated = Path(curated)
    with writer_lock(curated):
        recover(curated)
        current = read_curated_files(curated)
        before = files_token(current)
        if base is not None and base != before:
            changed = [name for name in before if before[name] != base.get(name)]
            found = versions(curated, finish_pending=False)
            raise StaleBase(changed, found[0] if found else None)
        new = {name: changes[name] if name in changes else current[name] for name in SPECS}
        if any(data is None for data in new.values()):
            missing = [SPECS[name].file for name, data in new.items() if data is None]
            raise FileNotFoundError(errno.ENOENT, "规范表缺少文件", "、".join(missing))
        staging = _staging(curated, new)
        version = None
        try:
            version = _snapshot(curated, current, action, by, before, files_token(new))
            _swap(staging, curated)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if version is not None:
                shutil.rmtree(history_dir(curated) / version, ignore_errors=True)
            raise
        _mark_saved(curated, version)
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old files, kept in history
    return version


def replace_folder(curated: Path, files: dict[str, bytes | None], extra: dict[str, bytes] | None = None,
                   keep_old_as: Path | None = None) -> None:
    """Put a folder of these files (None: left out) in place of curated in one atomic step (with the lock held).

    extra: other files by name that go in with them (the database store's record of the version);
    keep_old_as: where the replaced folder is kept (by default it is deleted: a version kept elsewhere).
    """
    curated = Path(curated)
    staging = _staging(curated, files, extra or {})
    try:
        if curated.exists():
            _swap(staging, curated)
        else:
            os.rename(staging, curated)
            _fsync_dir(curated.parent)
            return
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if keep_old_as is not None:
        os.rename(staging, keep_old_as)  # now holds the folder replaced
        _fsync_dir(curated.parent)
    else:
        shutil.rmtree(staging, ignore_errors=True)  # now holds the folder replaced


def _staging(curated: Path, files: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> Path:
    """Write the files (and the extra ones, by file name) into a new folder next to curated, fsynced; return it."""
    staging = curated.parent / f".{curated.name}.staging-{uuid.uuid4().hex[:8]}"
    try:
        os.mkdir(staging)
        for name, spec in SPECS.items():
            if files.get(name) is not None:
                _write_file(staging / spec.file, files[name])
        for file, data in (extra or {}).items():
            _write_file(staging / file, data)
        _fsync_dir(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


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


def recover_folder(curated: Path) -> None:
    """Complete or roll back an interrupted replacement of the folder (call with the writer lock held)."""
    curated = Path(curated)
    previous = curated.parent / f".{curated.name}.previous"
    if previous.exists():
        if curated.exists():
            shutil.rmtree(previous)  # the new folder landed; the old files are in the history
        else:
            os.rename(previous, curated)
    for leftover in curated.parent.glob(f".{curated.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def interrupted(curated: Path) -> bool:
    """Return whether a replacement of the folder was interrupted (recover_folder() has something to do)."""
    curated = Path(curated)
    return (curated.parent / f".{curated.name}.previous").exists() or \
        any(curated.parent.glob(f".{curated.name}.staging-*"))


def recover(curated: Path) -> None:
    """Complete or roll back what an interrupted save of the file store left behind (with the writer lock held)."""
    curated = Path(curated)
    recover_folder(curated)
    history = history_dir(curated)
    if not history.exists():
        return
    live = None
    for folder in sorted(p for p in history.iterdir() if p.is_dir()):
        for temporary in folder.glob(f"{META}.tmp-*"):
            temporary.unlink()
        if not (folder / META).exists():
            shutil.rmtree(folder)  # killed before its record was written: the save never started
            continue
        meta = _read_meta(folder / META)
        if meta is None or meta.get("state") != "pending":
            continue
        if live is None:
            live = files_token(read_curated_files(curated))
        if "before" not in meta:  # a record written before the checksums were kept
            landed = not _same_files(folder, curated)
        else:
            landed = live != meta["before"]
        if landed:
            _mark_saved(curated, folder.name)  # it landed (or the data changed since): keep the old files
        else:
            shutil.rmtree(folder)  # the save never landed: nothing to keep


def sync(curated: Path, url: str | None = None, adopt: bool = True) -> None:
    """Bring the curated folder to the current version of the database store (nothing for the store of files).

    adopt=False (commands that only read): a folder edited by hand is read as it is, not saved.
    """
    if in_database():
        _database().sync(curated, url, adopt)


def history_note(curated: Path, url: str | None = None) -> str:
    """Return what the first start with the database moved in from the folder and data/history/, in words."""
    return _database().note(curated, url) if in_database() else ""


def settle(curated: Path, url: str | None = None) -> None:
    """Finish what a killed save left (recover(); the database store: sync()) when no save is running."""
    if in_database():
        _database().sync(curated, url)
        return
    try:
        with writer_lock(curated, wait=0):
            recover(curated)
    except (SaveBusy, OSError):
        pass


def _same_files(first: Path, second: Path) -> bool:
    return all((first / s.file).read_bytes() == (second / s.file).read_bytes()
               for s in SPECS.values() if (first / s.file).exists() and (second / s.file).exists())


def version_name() -> str:
    """Return the name of a new version: a name people read, the district's time to the microsecond."""
    return local_now().strftime("%Y%m%d-%H%M%S-%f")


def _snapshot(curated: Path, current: dict[str, bytes | None], action: str, by: str,
              before: dict[str, str], after: dict[str, str]) -> str:
    """Write the current files to a new history version with a pending record; return its name."""
    history = history_dir(curated)
    history.mkdir(exist_ok=True)
    version = version_name()
    target = history / version
    os.mkdir(target)
    for name, spec in SPECS.items():
        if current[name] is not None:
            _write_file(target / spec.file, current[name])
    documents = parse_csv_bytes(current["documents"])["doc_no"].tolist() if current["documents"] else []
    tasks = len(parse_csv_bytes(current["tasks"])) if current["tasks"] else 0
    meta = {"version": version, "saved_at": utc_text(), "action": action,
            "by": by, "documents": documents, "tasks": tasks, "state": "pending", "before": before, "after": after}
    _write_json(target / META, meta)
    _fsync_dir(history)
    return version


def _write_json(path: Path, value: dict) -> None:
    """Write a JSON file atomically: a temporary file, fsync, rename, fsync the folder."""
    temporary = path.with_name(f"{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    _write_file(temporary, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _read_meta(path: Path) -> dict | None:
    """Return a history record, or None when it cannot be read (torn by a crash, edited by hand)."""
    try:
        meta = json.loads(path.read_text("utf-8"))
        if not isinstance(meta, dict):
            return None
        Version(str(meta["version"]), str(meta["saved_at"]), str(meta["action"]), str(meta.get("by", "")),
                tuple(meta["documents"]), int(meta["tasks"]))
        return meta
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


def _mark_saved(curated: Path, version: str) -> None:
    path = history_dir(curated) / version / META
    meta = _read_meta(path)
    meta["state"] = "saved"
    _write_json(path, meta)


def damaged_records(curated: Path) -> list[str]:
    """Return a message for each version under data/history/ whose record cannot be read (those are skipped),
    and for each folder the database store set aside (a hand edit on an older version, a folder it did not make).

    The database store leaves data/history/ as it was when it moved in: what could not be
    read there is still said.
    """
    curated = Path(curated)
    kept = [f"{curated.parent.name}/{folder.name}/：这里的规范表与数据库中的当前版本不一致（在已被替换的版本上直接修改，"
            "或不是看板写出的目录），已原样移到此处保存，未生效；需要其中的改动时请经导入保存"
            for folder in sorted(curated.parent.glob(f".{curated.name}.kept-*"), reverse=True)]
    history = history_dir(curated)
    if not history.exists():
        return kept
    return kept + [f"版本 {folder.name} 的记录（{META}）无法读取，已跳过；该文件夹中的规范表仍在 data/history/{folder.name}/"
            for folder in sorted(history.iterdir(), reverse=True)
            if folder.is_dir() and (folder / META).exists() and _read_meta(folder / META) is None]


def versions(curated: Path, finish_pending: bool = True, url: str | None = None) -> list[Version]:
    """Return the saved earlier versions, newest first (unreadable records are skipped: damaged_records)."""
    if in_database():
        return _database().versions(curated, finish_pending, url)
    if finish_pending:
        settle(curated)
    return file_versions(curated)


def file_versions(curated: Path) -> list[Version]:
    """Return the saved versions under data/history/ (the store of files), newest first."""
    history = history_dir(curated)
    found = []
    for meta_path in sorted(history.glob(f"*/{META}"), reverse=True) if history.exists() else ():
        meta = _read_meta(meta_path)
        if meta is not None and meta.get("state") == "saved":
            found.append(Version(meta["version"], meta["saved_at"], meta["action"], meta.get("by", ""),
                                 tuple(meta["documents"]), int(meta["tasks"])))
    return found


def versions_to_move(curated: Path) -> tuple[list[tuple[Path, Version]], list[str]]:
    """Return the versions under data/history/ to move into the database, oldest first, and what was left out.

    Reads only (data/history/ stays as it was): a record still pending counts when its save
    landed (the live files are no longer its "before" state), as recover() would decide; a
    second record with a name already taken (a copied folder) is left out and named.
    """
    history = history_dir(curated)
    found, skipped, names, live = [], [], set(), None
    for meta_path in sorted(history.glob(f"*/{META}")) if history.exists() else ():
        meta = _read_meta(meta_path)
        if meta is None:
            continue  # named by damaged_records
        if meta.get("state") == "pending":
            if live is None:
                live = files_token(read_curated_files(curated))
            if "before" not in meta or live == meta["before"]:
                continue  # never landed (or cannot tell): recover() would remove it
        elif meta.get("state") != "saved":
            continue
        if meta["version"] in names:
            skipped.append(f"data/history/{meta_path.parent.name}/ 与另一个版本同名（{meta['version']}），未迁入")
            continue
        names.add(meta["version"])
        found.append((meta_path.parent, Version(meta["version"], meta["saved_at"], meta["action"], meta.get("by", ""),
                                                tuple(meta["documents"]), int(meta["tasks"]))))
    return sorted(found, key=lambda item: item[1].version), skipped


def version_files(curated: Path, version: str, url: str | None = None) -> dict[str, bytes | None]:
    """Return the tables of a saved earlier version by name; KeyError when there is none by that name."""
    if in_database():
        return _database().version_files(curated, version, url)
    return read_curated_files(version_dir(curated, version))


def version_dir(curated: Path, version: str) -> Path:
    """Return the folder of a saved version of the store of files; KeyError when there is none by that name."""
    if not in_database():
        settle(curated)
    if version not in {v.version for v in file_versions(curated)}:
        raise KeyError(version)
    return history_dir(curated) / version


def restore(curated: Path, version: str, by: str = "", url: str | None = None) -> str:
    """Make a saved version current again (the state it replaces is kept as a new version)."""
    if in_database():
        return _database().restore(curated, version, by, url)
    source = version_dir(curated, version)
    load_frames(source)  # CuratedDataError: a version that no longer loads is not put back
    # a version saved before a table existed (task_links) lacks its file: restored as that table without rows
    changes = {name: (source / spec.file).read_bytes() if (source / spec.file).exists() or not spec.optional_file
               else spec.empty_bytes() for name, spec in SPECS.items()}
    return save_files(curated, changes, f"恢复到版本 {version}", by)
