"""The store of files (WORK_REPORT_CURATED_STORE=files, what an installation used before the database):
saving is atomic, a failure or a crash in the middle leaves data/curated/ as it was (or wholly new).

The database store, which mirrors its versions into the folder with the same swap, is tested in
tests/test_store_database.py.

The crash tests run the save in a child process that dies with os._exit (no
cleanup, no finally blocks) at a chosen point, as a power cut or `kill -9` would.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from loaders import store
from loaders.curated import SPECS, read_curated, table_bytes
from loaders.frames import load_frames

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def file_store(monkeypatch):
    monkeypatch.setenv(store.STORE_VARIABLE, "files")


def files_of(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def changed_tasks(curated: Path) -> dict[str, pd.DataFrame]:
    raw, _ = read_curated(curated)
    tasks = raw["tasks"].copy()
    tasks.loc[0, "note"] = "保存测试"
    documents = raw["documents"].copy()
    documents.loc[0, "publication"] = "保存测试"
    return {"documents": documents, "tasks": tasks}


def leftovers(curated: Path) -> list[str]:
    return sorted(p.name for p in curated.parent.iterdir() if ".staging-" in p.name or p.name.endswith(".previous"))


def test_a_save_replaces_the_files_and_keeps_the_old_ones(curated_copy):
    before = files_of(curated_copy)
    version = store.save_tables(curated_copy, changed_tasks(curated_copy), "测试保存", by="测试")
    after = files_of(curated_copy)
    assert {name for name in after if after[name] != before[name]} == {"documents.csv", "tasks.csv"}
    assert files_of(curated_copy.parent / "history" / version) == {**before, "meta.json": files_of(
        curated_copy.parent / "history" / version)["meta.json"]}
    assert load_frames(curated_copy).tasks.iloc[0]["note"] == "保存测试"
    assert leftovers(curated_copy) == []
    (saved,) = store.versions(curated_copy)
    assert (saved.action, saved.by, saved.tasks) == ("测试保存", "测试", 257)


def test_an_error_while_writing_leaves_everything_as_it_was(curated_copy, monkeypatch):
    before = files_of(curated_copy)
    calls = []
    real_write = store._write_file

    def failing_write(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(store, "_write_file", failing_write)
    with pytest.raises(OSError):
        store.save_tables(curated_copy, changed_tasks(curated_copy), "测试保存")
    assert files_of(curated_copy) == before
    assert leftovers(curated_copy) == [] and store.versions(curated_copy) == []
    monkeypatch.setattr(store, "_write_file", real_write)
    store.save_tables(curated_copy, changed_tasks(curated_copy), "再次保存")  # the lock was released


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from loaders import store
    from loaders.curated import read_curated
    curated = Path({curated!r})
    point = {point!r}
    calls = []
    real_write, real_swap, real_mark = store._write_file, store._swap, store._mark_saved

    def write(path, data):
        calls.append(path)
        if point == "writing" and len(calls) == 4:
            with open(path, "wb") as handle:
                handle.write(data[: len(data) // 2])  # half a file, then the power goes
            os._exit(9)
        real_write(path, data)

    def swap(staging, target):
        if point == "before swap":
            os._exit(9)
        real_swap(staging, target)
        if point == "after swap":
            os._exit(9)

    store._write_file, store._swap = write, swap
    raw, _ = read_curated(curated)
    raw["tasks"].loc[0, "note"] = "崩溃测试"
    store.save_tables(curated, {{"tasks": raw["tasks"]}}, "崩溃测试")
""")


def crash_during_save(curated: Path, point: str) -> None:
    script = CRASH.format(root=str(ROOT), curated=str(curated), point=point)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr


@pytest.mark.parametrize("point", ["writing", "before swap"])
def test_a_crash_before_the_swap_leaves_the_old_data_intact(curated_copy, point):
    before = files_of(curated_copy)
    crash_during_save(curated_copy, point)
    assert files_of(curated_copy) == before  # no partial file in data/curated/
    assert leftovers(curated_copy)  # the crash left its half-written folder behind…
    with store.writer_lock(curated_copy):
        store.recover(curated_copy)
    assert leftovers(curated_copy) == []  # …which the next save removes
    assert files_of(curated_copy) == before and store.versions(curated_copy) == []
    assert not (curated_copy.parent / "history").exists() or not any((curated_copy.parent / "history").iterdir())
    assert len(load_frames(curated_copy).tasks) == 257


def test_a_crash_after_the_swap_leaves_the_new_data_whole_and_the_old_in_history(curated_copy):
    before = files_of(curated_copy)
    crash_during_save(curated_copy, "after swap")
    assert load_frames(curated_copy).tasks.iloc[0]["note"] == "崩溃测试"
    with store.writer_lock(curated_copy):
        store.recover(curated_copy)
    assert leftovers(curated_copy) == []
    (version,) = store.versions(curated_copy)
    kept = files_of(curated_copy.parent / "history" / version.version)
    kept.pop("meta.json")
    assert kept == before


def test_a_crash_between_the_two_renames_is_undone_where_there_is_no_atomic_exchange(curated_copy, monkeypatch):
    """Systems without renameat2 swap with two renames; recover() puts the old folder back."""
    before = files_of(curated_copy)
    previous = curated_copy.parent / f".{curated_copy.name}.previous"
    curated_copy.rename(previous)  # the state right after the first rename
    with store.writer_lock(curated_copy):
        store.recover(curated_copy)
    assert files_of(curated_copy) == before and not previous.exists()

    monkeypatch.setattr(store, "_exchange", lambda first, second: False)
    store.save_tables(curated_copy, changed_tasks(curated_copy), "两次改名")
    assert load_frames(curated_copy).tasks.iloc[0]["note"] == "保存测试"
    assert leftovers(curated_copy) == []


def test_a_second_writer_is_refused_while_one_saves(curated_copy, monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from loaders.store import writer_lock
            with writer_lock(Path({str(curated_copy)!r})):
                print("locked", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = files_of(curated_copy)
        monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.2)
        with pytest.raises(store.SaveBusy, match="正在保存"):
            store.save_tables(curated_copy, changed_tasks(curated_copy), "第二个写入")
        assert files_of(curated_copy) == before
    finally:
        holder.communicate("done\n", timeout=10)
    store.save_tables(curated_copy, changed_tasks(curated_copy), "锁释放后")


def test_a_version_that_no_longer_loads_is_not_restored(curated_copy):
    version = store.save_tables(curated_copy, changed_tasks(curated_copy), "测试保存")
    broken = curated_copy.parent / "history" / version / "tasks.csv"
    broken.write_bytes(table_bytes(pd.DataFrame({"task_id": ["x"]})))
    before = files_of(curated_copy)
    from loaders.problems import CuratedDataError
    with pytest.raises(CuratedDataError):
        store.restore(curated_copy, version)
    assert files_of(curated_copy) == before


def test_every_curated_file_is_written_even_when_unchanged(curated_copy):
    """The new folder is complete: files the save does not change are copied byte for byte."""
    before = files_of(curated_copy)
    store.save_tables(curated_copy, {}, "无改动")
    assert files_of(curated_copy) == before
    assert set(before) == {spec.file for spec in SPECS.values()}
