"""The curated tables in the database (the default store), on SQLite and PostgreSQL.

Replicas are played here by two folders on one machine that name the same store (WORK_REPORT_STORE_NAME),
as two machines with their own disks would; tests/e2e/test_replicas.py runs the real thing behind nginx.
Kills, concurrent imports and readers during saves: tests/test_store_reliability.py (every store).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from loaders import cli, store
from loaders.curated import SPECS, curated_token, read_curated, read_curated_files
from loaders.frames import load_frames
from loaders.progress.db import URL_VARIABLE, open_database
from loaders.storage import database
from tests.databases import wiped_postgres
from tests.test_store_reliability import plan_of

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "import" / "good_2024.xlsx"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path_factory, monkeypatch) -> str:
    """The database of an installation that has one (created at its first save or report), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        value = f"sqlite:///{tmp_path_factory.mktemp('database') / 'store.sqlite3'}"
    else:
        value = wiped_postgres()
    open_database(value)
    monkeypatch.setenv(URL_VARIABLE, value)
    monkeypatch.delenv(store.STORE_VARIABLE, raising=False)
    return value


@pytest.fixture
def replicas(curated_copy, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Two folders of one store: replica A's and replica B's copy of the curated tables."""
    monkeypatch.setenv(database.STORE_NAME_VARIABLE, "测试区")
    second = tmp_path / "b" / "curated"
    second.parent.mkdir()
    shutil.copytree(curated_copy, second)
    return curated_copy, second


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def save(plan, curated: Path, by: str) -> str:
    return store.save_tables(curated, {n: plan.merged[n] for n in plan.changed}, plan.action(), by, base=plan.base)


def test_the_first_use_stores_the_folder_and_nothing_else_changes(url, curated_copy):
    before = tree(curated_copy.parent)
    assert store.versions(curated_copy) == []
    after = tree(curated_copy.parent)
    # the tables as they were; the folder records which version it is (.version), the lock file is new
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {"curated/.version", ".curated.lock"}
    with open_database(url).connect() as connection:
        head = database._head(connection, database.store_name(curated_copy))
    assert head.checksums == curated_token(curated_copy) and head.tasks == 257
    assert "首次使用数据库" in store.history_note(curated_copy)


def test_a_save_on_one_replica_is_seen_by_the_other_at_its_next_action(url, replicas, capsys):
    first, second = replicas
    store.versions(first)
    store.versions(second)
    assert cli.main(["--curated", str(first), "import", str(GOOD)]) == 0
    assert "测试〔2024〕1号" not in read_curated(second)[0]["documents"]["doc_no"].tolist()  # B has not acted yet
    store.sync(second)  # B's next page run or command
    assert read_curated_files(second) == read_curated_files(first)
    assert len(load_frames(second).tasks) == 257 + 28
    (version,) = store.versions(second)
    assert version.action == "导入 测试〔2024〕1号（新增）" and version.by == "命令行" and version.tasks == 257


def test_a_save_planned_on_another_replica_before_a_save_is_refused(url, replicas):
    first, second = replicas
    plan_b = plan_of(GOOD.read_bytes(), second)  # B previews the import
    raw, _ = read_curated(first)
    store.save_tables(first, {"documents": raw["documents"].assign(publication="甲改了出处")}, "甲改出处", "管理员甲")
    with pytest.raises(store.StaleBase) as refused:
        save(plan_b, second, "管理员乙")
    message = str(refused.value)
    assert "甲改出处" in message and "管理员甲" in message and "documents.csv" in message
    assert set(read_curated(second)[0]["documents"]["publication"]) == {"甲改了出处"}  # B's folder shows A's save
    save(plan_of(GOOD.read_bytes(), second), second, "管理员乙")  # checked again, it lands next to A's
    store.sync(first)
    documents = read_curated(first)[0]["documents"]
    assert len(read_curated(first)[0]["tasks"]) == 257 + 28 and (documents["publication"].iloc[:2] == "甲改了出处").all()


def test_a_hand_edit_of_the_current_version_is_kept_as_a_version(url, replicas):
    first, _ = replicas
    store.versions(first)
    units = first / "units.csv"
    units.write_bytes(units.read_bytes() + "手工新增单位,区级部门,\n".encode("utf-8"))
    (found,) = store.versions(first)  # the next action stores it
    assert found.action == store_hand_edit() and "手工新增单位" in units.read_text("utf-8-sig")
    assert store.version_files(first, found.version)["units"] == read_curated_files(ROOT / "data" / "curated")["units"]


def test_a_hand_edit_on_a_version_another_replica_replaced_is_set_aside_not_saved_over_it(url, replicas):
    first, second = replicas
    store.versions(first)
    store.versions(second)
    units = second / "units.csv"
    units.write_bytes(units.read_bytes() + "手工新增单位,区级部门,\n".encode("utf-8"))
    raw, _ = read_curated(first)
    store.save_tables(first, {"tasks": raw["tasks"].iloc[:-1]}, "删一行", "管理员甲")  # meanwhile, on A
    assert [v.action for v in store.versions(second)] == ["删一行"]  # B's next action: A's save stays current
    assert len(read_curated(second)[0]["tasks"]) == 256 and "手工新增单位" not in units.read_text("utf-8-sig")
    (kept,) = second.parent.glob(".curated.kept-*")  # B's edit, whole, where the data page names it
    assert "手工新增单位" in (kept / "units.csv").read_text("utf-8-sig")
    assert any(kept.name in message for message in store.damaged_records(second))


def test_an_empty_or_foreign_folder_never_replaces_the_current_version(url, replicas, tmp_path):
    first, second = replicas
    store.versions(first)
    for path in second.iterdir():  # a new replica's volume, not filled yet
        path.unlink()
    store.versions(second)
    assert len(load_frames(second).tasks) == 257 and len(load_frames(first).tasks) == 257
    candidate = tmp_path / "candidate" / "curated"  # a folder someone checks, in the same store by its name
    shutil.copytree(first, candidate)
    (candidate / ".version").unlink()
    tasks = candidate / "tasks.csv"
    tasks.write_bytes(tasks.read_bytes().replace("地区生产总值".encode(), "候选".encode()))
    assert cli.main(["--curated", str(candidate), "validate"]) == 0  # reads it as it is, writes nothing
    assert "候选" in tasks.read_text("utf-8-sig")
    store.sync(first)
    assert "候选" not in (first / "tasks.csv").read_text("utf-8-sig") and store.versions(first) == []


def store_hand_edit() -> str:
    return database.HAND_EDIT


def test_moving_in_keeps_every_version_of_data_history_and_the_files_as_they_were(url, curated_copy, monkeypatch,
                                                                               capsys):
    monkeypatch.setenv(store.STORE_VARIABLE, "files")  # an installation of the store of files
    raw, _ = read_curated(curated_copy)
    store.save_tables(curated_copy, {"tasks": raw["tasks"].iloc[:-1]}, "删一行", "甲")
    store.save_tables(curated_copy, {"tasks": raw["tasks"].iloc[:-3]}, "删三行", "乙")
    assert cli.main(["--curated", str(curated_copy), "import", str(GOOD)]) == 0
    before = store.versions(curated_copy)
    kept = {v.version: read_curated_files(store.version_dir(curated_copy, v.version)) for v in before}
    files = tree(curated_copy.parent)
    monkeypatch.delenv(store.STORE_VARIABLE)  # the upgrade: the same installation starts with the database
    capsys.readouterr()
    assert cli.main(["--curated", str(curated_copy), "history"]) == 0
    out = capsys.readouterr().out
    assert "data/history/ 中的 3 个历史版本已存入数据库，原文件保留未动" in out
    assert store.versions(curated_copy) == before  # the same names, times, actions, people, notices and counts
    assert {v.version: store.version_files(curated_copy, v.version) for v in before} == kept
    after = tree(curated_copy.parent)
    assert {k: v for k, v in after.items() if k != "curated/.version"} == files  # the tables and data/history/
    assert len(load_frames(curated_copy).tasks) == 254 + 28
    # saves and restores now go to the database; data/history/ is not written again
    store.restore(curated_copy, before[-1].version, by="管理员")
    assert len(load_frames(curated_copy).tasks) == 257
    assert store.versions(curated_copy)[0].action == f"恢复到版本 {before[-1].version}"
    assert sorted(p.name for p in store.history_dir(curated_copy).iterdir()) == sorted(kept)


def test_a_version_saved_before_task_links_existed_is_restored_with_an_empty_table(url, curated_copy):
    (curated_copy / "task_links.csv").unlink()  # a folder older than the table
    store.versions(curated_copy)
    raw, _ = read_curated(curated_copy)
    store.save_tables(curated_copy, {"tasks": raw["tasks"].iloc[:-1]}, "删一行")
    (old,) = store.versions(curated_copy)
    store.restore(curated_copy, old.version)
    assert (curated_copy / "task_links.csv").read_bytes() == SPECS["task_links"].empty_bytes()
    assert len(load_frames(curated_copy).tasks) == 257


def test_a_version_that_no_longer_loads_is_not_restored(url, curated_copy):
    store.versions(curated_copy)
    tasks = curated_copy / "tasks.csv"
    tasks.write_bytes(tasks.read_bytes().replace("content".encode(), "contnet".encode(), 1))  # broken by hand
    broken = store.versions(curated_copy)[0]  # the hand edit was stored; the version before it is whole
    assert broken.action == database.HAND_EDIT
    shutil.copyfile(ROOT / "data" / "curated" / "tasks.csv", tasks)  # fixed again by hand
    found = store.versions(curated_copy)
    from loaders.problems import CuratedDataError

    with pytest.raises(CuratedDataError):
        store.restore(curated_copy, found[0].version)  # the broken one
    assert curated_token(curated_copy) == curated_token(ROOT / "data" / "curated")
