"""Saving under pressure: concurrent imports keep every notice, kills at every step leave one whole version
with its history record, torn records are skipped, readers never see two versions mixed.

Each test of saving runs on every store: the database store on SQLite and on PostgreSQL (the default),
and the store of files an installation used before (WORK_REPORT_CURATED_STORE=files).

Kills are real: the save runs in a child process (forked from one that imported the loaders once) that sends
itself SIGKILL at a chosen write, fsync, rename, mkdir or delete (no finally blocks, no flushing), as `kill -9`
or a power cut would.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from loaders import cli, store
from loaders.progress.db import URL_VARIABLE, open_database
from loaders.curated import SPECS, curated_token, read_curated, read_curated_files
from loaders.frames import load_frames
from loaders.importing import plan_import
from loaders.package import UploadedFile, read_package
from tests.databases import wiped_postgres

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "import" / "good_2024.xlsx"
GOOD_DOC = "测试〔2024〕1号"


def notice_variant(number: int) -> bytes:
    """Return good_2024.xlsx as a different notice: its own doc_no, table ids and task ids."""
    book = load_workbook(GOOD)
    for name in ("documents", "tables", "tasks"):
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for header, cell in zip(headers, row):
                if cell.value == GOOD_DOC:
                    cell.value = f"测试〔2024〕{number}号"
                elif header in ("table_id", "task_id") and isinstance(cell.value, str):
                    cell.value = cell.value.replace("2024-", f"2024-v{number}-", 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_of(data: bytes, curated: Path):
    package, problems = read_package([UploadedFile("notice.xlsx", data)])
    assert problems == []
    plan, problems = plan_import(package, curated)
    assert problems == [], [str(p) for p in problems]
    return plan


def documents_of(curated: Path) -> list[str]:
    raw, problems = read_curated(curated)
    assert problems == []
    return raw["documents"]["doc_no"].tolist()


def snapshot_of(directory: Path) -> dict[str, str]:
    return {spec.file: hashlib.sha256((directory / spec.file).read_bytes()).hexdigest()
            for spec in SPECS.values()}


@pytest.fixture(params=["sqlite", "postgresql", "files"])
def store_kind(request, tmp_path, monkeypatch) -> dict[str, str]:
    """Where the curated tables are kept: the environment a save (and a child process) runs with."""
    if request.param == "files":
        environment = {store.STORE_VARIABLE: "files"}
    else:
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}" if request.param == "sqlite" else wiped_postgres()
        open_database(url)  # an installation's database: made at its first save or report
        environment = {store.STORE_VARIABLE: "database", URL_VARIABLE: url}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.fixture
def file_store(monkeypatch):
    monkeypatch.setenv(store.STORE_VARIABLE, "files")


def leftovers(curated: Path) -> list[str]:
    """Return what an interrupted save may leave behind: staging folders, temporary records, unrecorded versions."""
    found = [p.name for p in curated.parent.iterdir() if ".staging-" in p.name or p.name.endswith(".previous")]
    history = store.history_dir(curated)
    if history.exists():
        found += [str(p) for p in history.rglob("*.tmp-*")]
        found += [p.name for p in history.iterdir() if not (p / "meta.json").exists()]
    return found


# 1. Lost updates ------------------------------------------------------------------------------


def test_four_imports_started_together_all_keep_their_notice(store_kind, curated_copy, tmp_path):
    files = []
    for number in (2, 3, 4, 5):
        path = tmp_path / f"notice_{number}.xlsx"
        path.write_bytes(notice_variant(number))
        files.append(path)
    runs = [subprocess.Popen([sys.executable, "-m", "loaders", "--curated", str(curated_copy), "import", str(path)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for path in files]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, out + err
        assert "已保存" in out
    kept = documents_of(curated_copy)
    assert {f"测试〔2024〕{n}号" for n in (2, 3, 4, 5)} <= set(kept)
    assert len(store.versions(curated_copy)) == 4
    # an import planned on older data says which save came in between, then checks again
    notes = [line for out, _ in outputs for line in out.splitlines() if line.startswith("注意：")]
    assert all("期间有人保存了：导入 测试〔2024〕" in line and "重新检查" in line for line in notes), notes
    assert len(load_frames(curated_copy).tasks) == 257 + 4 * 28


def test_a_save_planned_on_older_data_is_refused_and_says_what_changed(store_kind, curated_copy):
    """Web flow: admin 1 previews A, admin 2 previews B, A is saved, then B: B is refused, A kept."""
    plan_a = plan_of(notice_variant(2), curated_copy)
    plan_b = plan_of(notice_variant(3), curated_copy)
    store.save_tables(curated_copy, {n: plan_a.merged[n] for n in plan_a.changed}, plan_a.action(), "管理员甲",
                      base=plan_a.base)
    before = snapshot_of(curated_copy)
    with pytest.raises(store.StaleBase) as refused:
        store.save_tables(curated_copy, {n: plan_b.merged[n] for n in plan_b.changed}, plan_b.action(), "管理员乙",
                          base=plan_b.base)
    message = str(refused.value)
    assert "导入 测试〔2024〕2号（新增）" in message and "管理员甲" in message and "documents.csv" in message
    assert "本次未保存" in message
    assert snapshot_of(curated_copy) == before
    assert "测试〔2024〕2号" in documents_of(curated_copy)
    # checked again on the data as it is now, B is saved next to A
    plan_b = plan_of(notice_variant(3), curated_copy)
    store.save_tables(curated_copy, {n: plan_b.merged[n] for n in plan_b.changed}, plan_b.action(), "管理员乙",
                      base=plan_b.base)
    assert {"测试〔2024〕2号", "测试〔2024〕3号"} <= set(documents_of(curated_copy))


def test_a_hand_edit_after_planning_is_not_overwritten(store_kind, curated_copy):
    plan = plan_of(notice_variant(2), curated_copy)
    units = curated_copy / "units.csv"
    units.write_bytes(units.read_bytes() + "手工新增单位,区级部门,\n".encode("utf-8"))
    with pytest.raises(store.StaleBase, match="units.csv 被直接修改"):
        store.save_tables(curated_copy, {n: plan.merged[n] for n in plan.changed}, plan.action(), base=plan.base)
    assert "手工新增单位" in units.read_text("utf-8-sig")


# 2. Torn and missing history records ----------------------------------------------------------


def test_a_torn_history_record_is_skipped_and_reported_never_fatal(file_store, curated_copy, capsys):
    raw, _ = read_curated(curated_copy)
    first = store.save_tables(curated_copy, {"tasks": raw["tasks"].iloc[:-1]}, "删一行")
    second = store.save_tables(curated_copy, {"tasks": raw["tasks"].iloc[:-2]}, "删两行")
    (store.history_dir(curated_copy) / first / "meta.json").write_bytes(b"")  # torn by a kill mid-write
    assert [v.version for v in store.versions(curated_copy)] == [second]
    (message,) = store.damaged_records(curated_copy)
    assert first in message and "无法读取" in message
    assert cli.main(["--curated", str(curated_copy), "history"]) == 0
    captured = capsys.readouterr()
    assert second in captured.out and first in captured.err
    store.restore(curated_copy, second)  # restore and import still work
    assert len(read_curated(curated_copy)[0]["tasks"]) == 256
    plan = plan_of(notice_variant(2), curated_copy)
    store.save_tables(curated_copy, {n: plan.merged[n] for n in plan.changed}, plan.action(), base=plan.base)


def test_history_records_are_written_by_rename_never_in_place(file_store, curated_copy, monkeypatch):
    written = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (written.append(Path(b).name), real_replace(a, b)))
    store.save_tables(curated_copy, {}, "无改动")
    assert written.count("meta.json") == 2  # pending, then saved: each a whole new file


def test_a_history_folder_without_a_record_is_removed(file_store, curated_copy):
    orphan = store.history_dir(curated_copy) / "20200101-000000-000000"
    orphan.mkdir(parents=True)
    (orphan / "tasks.csv").write_bytes(b"half")
    store.versions(curated_copy)
    assert not orphan.exists()


# 3. Kills at every step of a save and of a restore --------------------------------------------

KILL = textwrap.dedent("""
    import json, os, shutil, signal, sys, traceback
    from pathlib import Path
    from loaders import store
    from loaders.storage import database
    from loaders.curated import read_curated, read_curated_files  # everything a save or a restore imports
    import sqlalchemy, psycopg  # and the database drivers

    def killed(curated, kill_at, mode):
        steps = []

        def step(name, real, half_write=False):
            def wrapped(*args, **kwargs):
                steps.append(name)
                if len(steps) == kill_at:
                    if half_write:  # half of the file reaches the disk, then the process dies
                        with open(args[0], "wb") as handle:
                            handle.write(args[1][: len(args[1]) // 2])
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)
            return wrapped

        store._write_file = step("write", store._write_file, half_write=True)
        store._exchange = step("exchange", store._exchange)
        for name in ("fsync", "rename", "replace", "mkdir"):
            setattr(os, name, step(name, getattr(os, name)))
        shutil.rmtree = step("rmtree", shutil.rmtree)
        # the database store: killed inside its transaction, before the new version is stored and before the commit
        database._add_version = step("insert", database._add_version)
        database._point = step("point", database._point)
        if mode == "save":
            raw, _ = read_curated(curated)
            raw["tasks"].loc[0, "note"] = "崩溃测试"
            store.save_tables(curated, {{"tasks": raw["tasks"]}}, "崩溃测试")
        else:
            store.restore(curated, store.versions(curated, finish_pending=False)[0].version)
        print(len(steps), " ".join(steps))

    # one request per line: each save or restore runs in a child forked from here, with its output in files
    for line in sys.stdin:
        request = json.loads(line)
        out, err = request["out"], request["err"]
        child = os.fork()
        if child == 0:
            for fd, path in ((1, out), (2, err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            os.environ.update(request["environment"])
            try:
                killed(Path(request["curated"]), request["kill_at"], request["mode"])
                code = 0
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)
""")


@pytest.fixture(scope="module")
def run_killed(tmp_path_factory):
    with killed_runner(tmp_path_factory.mktemp("killed")) as run:
        yield run


@contextmanager
def killed_runner(folder: Path):
    """Run a save (or restore) in a child process that sends itself SIGKILL at its kill_at-th step (0: never).

    The children are forked from one process that has imported the loaders once, so that a kill costs a fork,
    not a Python start and a pandas import; each child is still a process of its own, killed for real, with the
    environment of the store it saves to.
    """
    parent = subprocess.Popen([sys.executable, "-c", KILL.format(root=str(ROOT))], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)

    def run(curated: Path, mode: str, kill_at: int, environment: dict[str, str]) -> subprocess.CompletedProcess:
        out, err = folder / "out", folder / "err"
        request = {"curated": str(curated), "kill_at": kill_at, "mode": mode, "out": str(out), "err": str(err),
                   "environment": environment}
        parent.stdin.write(json.dumps(request) + "\n")
        parent.stdin.flush()
        answer = parent.stdout.readline()
        assert answer, "the process that forks the killed saves has died"
        return subprocess.CompletedProcess([], int(answer), out.read_text("utf-8"), err.read_text("utf-8"))

    try:
        yield run
    finally:
        parent.stdin.close()
        parent.wait(timeout=60)


def kill_at_every_step(run_killed, environment, curated_copy: Path, mode: str, setup=None) -> tuple[int, int]:
    """Kill the save (or restore) at each of its steps in turn; return (kills tried, kills survived).

    Each attempt starts from a fresh copy of the folder (its own store, and its own data/history/ for the
    store of files), made ready by setup (a save to restore, for a restore).
    """
    original = {spec.file: (curated_copy / spec.file).read_bytes() for spec in SPECS.values()}

    def fresh(attempt: int) -> tuple[Path, dict[str, bytes]]:
        curated = curated_copy.parent / f"attempt-{attempt}" / curated_copy.name
        curated.parent.mkdir()
        subprocess.run(["cp", "-a", str(curated_copy), str(curated)], check=True)
        if setup is not None:
            setup(curated)
        store.versions(curated)  # the database store is made from the folder here, before the save
        return curated, {spec.file: (curated / spec.file).read_bytes() for spec in SPECS.values()}

    curated, _ = fresh(0)
    before, before_versions = curated_token(curated), len(store.versions(curated))
    full = run_killed(curated, mode, 0, environment)
    assert full.returncode == 0, full.stderr
    total = int(full.stdout.split()[0])
    assert total >= 10, full.stdout  # writes, fsyncs, the exchange, the records…
    after = curated_token(curated)
    assert after != before and original
    survived = 0
    for kill_at in range(1, total + 1):
        curated, kept_before = fresh(kill_at)
        result = run_killed(curated, mode, kill_at, environment)
        assert result.returncode == -9, (kill_at, result.stdout, result.stderr)
        found = store.versions(curated)  # what any reader does next: finishes or rolls back the save
        now = curated_token(curated)
        assert now in (before, after), kill_at
        assert len(found) == before_versions + (now == after), (kill_at, found)
        if now == after:  # the undo version is there and holds the data as it was
            kept = store.version_files(curated, found[0].version)
            assert {SPECS[name].file: data for name, data in kept.items()} == kept_before, kill_at
        assert leftovers(curated) == [], kill_at
        load_frames(curated)
        store.save_tables(curated, {}, "之后再保存")  # the lock and the folder are usable again
        survived += 1
    return total, survived


def test_a_kill_at_any_step_of_a_save_completes_or_rolls_back_with_its_record(run_killed, store_kind, curated_copy):
    tried, survived = kill_at_every_step(run_killed, store_kind, curated_copy, "save")
    assert survived == tried


def deleted_three_rows(curated: Path) -> None:
    raw, _ = read_curated(curated)
    store.save_tables(curated, {"tasks": raw["tasks"].iloc[:-3]}, "删三行")


def test_a_kill_at_any_step_of_a_restore_completes_or_rolls_back_with_its_record(run_killed, store_kind,
                                                                                  curated_copy):
    tried, survived = kill_at_every_step(run_killed, store_kind, curated_copy, "restore", setup=deleted_three_rows)
    assert survived == tried


def test_a_kill_after_the_swap_still_shows_the_undo_version(run_killed, store_kind, curated_copy, capsys):
    """The reported case: new data live, no version listed, the import cannot be repeated."""
    work = curated_copy.parent / "first" / curated_copy.name
    work.parent.mkdir()
    subprocess.run(["cp", "-a", str(curated_copy), str(work)], check=True)
    store.versions(work)
    steps = run_killed(work, "save", 0, store_kind).stdout.split()[1:]
    store.versions(curated_copy)
    result = run_killed(curated_copy, "save", steps.index("exchange") + 2, store_kind)  # after the exchange
    assert result.returncode == -9
    assert read_curated(curated_copy)[0]["tasks"].loc[0, "note"] == "崩溃测试"
    assert cli.main(["--curated", str(curated_copy), "history"]) == 0
    assert "崩溃测试" in capsys.readouterr().out
    (version,) = store.versions(curated_copy)
    assert version.action == "崩溃测试" and version.tasks == 257


# 4. Readers see one version -------------------------------------------------------------------


MARKS = ("版本甲QX", "版本乙QX")


def marks_in(text: str) -> set[str]:
    return {mark for mark in MARKS if mark in text}


def marked(curated: Path, mark: str) -> dict[str, pd.DataFrame]:
    """Return documents.csv and tables.csv changed together, both carrying the same mark."""
    raw, _ = read_curated(curated)
    documents, tables = raw["documents"].copy(), raw["tables"].copy()
    documents["publication"] = mark
    tables["columns_printed"] = mark
    return {"documents": documents, "tables": tables}


def marks_of(curated: Path) -> tuple[set, set]:
    raw, problems = read_curated(curated)
    assert problems == []
    return set(raw["documents"]["publication"]), set(raw["tables"]["columns_printed"])


def test_a_swap_between_two_files_of_one_read_does_not_mix_versions(store_kind, curated_copy, monkeypatch):
    store.save_tables(curated_copy, marked(curated_copy, MARKS[0]), "甲")
    version_b = marked(curated_copy, MARKS[1])
    real_read_csv = pd.read_csv
    calls = []

    def read_then_swap(*args, **kwargs):
        calls.append(1)
        frame = real_read_csv(*args, **kwargs)
        if len(calls) == 1:  # right after the first file: another admin's save lands
            store.save_tables(curated_copy, version_b, "乙")
        return frame

    monkeypatch.setattr(pd, "read_csv", read_then_swap)
    documents, tables = marks_of(curated_copy)
    monkeypatch.setattr(pd, "read_csv", real_read_csv)
    assert documents == tables, (documents, tables)
    assert marks_of(curated_copy) == ({MARKS[1]}, {MARKS[1]})


SWAPPER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from loaders import store
    curated = Path({curated!r})
    versions = [{{name: (curated.parent / str(number) / f"{{name}}.csv").read_bytes() for name in ("documents", "tables")}}
                for number in (0, 1)]
    for number in range({swaps}):
        store.save_files(curated, versions[number % 2], "交替")
    print("done", flush=True)
""")


def test_readers_during_many_swaps_always_see_one_version(store_kind, curated_copy):
    from loaders.curated import table_bytes

    for number, mark in enumerate(MARKS):
        (curated_copy.parent / str(number)).mkdir()
        for name, frame in marked(curated_copy, mark).items():
            (curated_copy.parent / str(number) / f"{name}.csv").write_bytes(table_bytes(frame))
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER.format(root=str(ROOT), curated=str(curated_copy),
                                                                      swaps=30)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads, mixed = 0, []
    while swapper.poll() is None:
        files = read_curated_files(curated_copy)
        documents, tables = (marks_in(files[name].decode("utf-8-sig")) for name in ("documents", "tables"))
        reads += 1
        if documents != tables or len(documents) > 1:
            mixed.append((documents, tables))
    out, err = swapper.communicate()
    assert "done" in out, err
    assert reads > 30 and mixed == [], (reads, mixed[:3])
