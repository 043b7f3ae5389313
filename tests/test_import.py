"""Importing a notice: every bad file gives its message, good files round-trip, nothing is lost.

Fixtures: tests/fixtures/import/ (written by make_fixtures.py; expected.csv holds the
message each bad file must give).
"""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from loaders import cli, store
from loaders.curated import SPECS, read_curated, table_bytes
from loaders.frames import load_frames
from loaders.importing import notice_workbook, plan_import, template_file_name
from loaders.package import MAX_IMPORT_BYTES, UploadedFile, read_package
from loaders.reading import ReadOptions, check_notice, is_notice
from loaders.store import versions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = list(csv.DictReader((FIXTURES / "expected.csv").open(encoding="utf-8")))
DOC_2022 = "温鹿政办〔2022〕4号"


def fingerprint(directory: Path) -> dict[str, str]:
    """Return the sha256 of every file under a folder, by relative path."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def problems_of(path: Path, curated: Path, **options) -> list[str]:
    uploads = cli.read_files([path])
    if any(is_notice(upload) for upload in uploads):  # a notice as published: loaders/reading (as the CLI does)
        return [str(p) for p in check_notice(uploads, curated, ReadOptions()).problems]
    package, problems = read_package(uploads)
    if not problems:
        _, problems = plan_import(package, curated, **options)
    return [str(p) for p in problems]


def test_the_corpus_has_at_least_twenty_bad_files():
    assert len(EXPECTED) >= 20
    assert {row["fixture"] for row in EXPECTED} == {p.name for p in (FIXTURES / "bad").iterdir()}


@pytest.mark.parametrize("fixture,expected", [(r["fixture"], r["expected"]) for r in EXPECTED])
def test_bad_file_gives_its_message_and_changes_nothing(fixture, expected, curated_copy, capsys):
    before = fingerprint(curated_copy.parent)
    assert any(expected in message for message in problems_of(FIXTURES / "bad" / fixture, curated_copy)), expected
    assert cli.main(["--curated", str(curated_copy), "import", str(FIXTURES / "bad" / fixture)]) == 1
    error = capsys.readouterr().err
    assert expected in error and "规范表未做任何修改" in error
    assert fingerprint(curated_copy.parent) == before


def test_every_problem_names_its_file_and_how_to_fix_it(curated_copy):
    for row in EXPECTED:
        package, problems = read_package(cli.read_files([FIXTURES / "bad" / row["fixture"]]))
        if not problems:
            _, problems = plan_import(package, curated_copy)
        assert problems, row["fixture"]
        for problem in problems:
            assert problem.file and problem.message and problem.fix, problem


def test_an_oversized_file_is_refused_before_reading(tmp_path):
    big = UploadedFile("huge.xlsx", b"PK\x03\x04" + bytes(MAX_IMPORT_BYTES))
    _, problems = read_package([big])
    assert [str(p) for p in problems] == [
        "huge.xlsx：文件过大（5.0 MB，上限 5 MB）。处理办法：一次导入一份通知；删去与责任分解表无关的工作表、图片和格式后再试"]


def test_a_misspelled_header_lists_the_other_problems_too(curated_copy):
    """Two broken sheets: both are reported in one go."""
    book = load_workbook(FIXTURES / "bad" / "misspelled_header.xlsx")
    book["tables"]["A1"] = "table"
    buffer = io.BytesIO()
    book.save(buffer)
    package, problems = read_package([UploadedFile("two.xlsx", buffer.getvalue())])
    _, problems = plan_import(package, curated_copy)
    columns = {(p.sheet, p.column) for p in problems}
    assert {("tasks", "units"), ("tables", "table_id")} <= columns


def test_a_good_notice_is_added_and_the_old_state_is_kept(curated_copy, capsys):
    before = {name: (curated_copy / spec.file).read_bytes() for name, spec in SPECS.items()}
    assert cli.main(["--curated", str(curated_copy), "import", str(FIXTURES / "good_2024.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "新增 测试〔2024〕1号：任务 0 → 28 条" in out
    frames = load_frames(curated_copy)
    assert len(frames.tasks) == 257 + 28
    new = frames.tasks[frames.tasks["doc_no"] == "测试〔2024〕1号"]
    assert set(new["table_id"]) == {"2024-annual", "2024-livelihood"}
    # the other notices are untouched: their rows are byte-for-byte the same
    raw, _ = read_curated(curated_copy)
    assert table_bytes(raw["tasks"].iloc[:257]) == before["tasks"]
    (version,) = versions(curated_copy)
    assert version.tasks == 257 and version.action == "导入 测试〔2024〕1号（新增）"
    assert store.version_files(curated_copy, version.version) == before


def test_a_gb18030_csv_folder_is_read_and_imported(curated_copy, capsys):
    assert cli.main(["--curated", str(curated_copy), "import", str(FIXTURES / "good_2024_gb18030")]) == 0
    out = capsys.readouterr().out
    assert "不是 UTF-8 编码，已按 GB18030" in out
    tasks = load_frames(curated_copy).tasks
    livelihood = tasks[tasks["table_id"] == "2024-livelihood"]
    assert livelihood["project"].str.len().gt(0).all()
    assert livelihood["content"].tolist() == tasks.loc[tasks["table_id"] == "2022-livelihood", "content"].tolist()


def test_validate_checks_without_saving(curated_copy, capsys):
    before = fingerprint(curated_copy.parent)
    assert cli.main(["--curated", str(curated_copy), "validate", str(FIXTURES / "good_2024.xlsx")]) == 0
    assert "检查通过（未保存）" in capsys.readouterr().out
    assert fingerprint(curated_copy.parent) == before


def test_preview_counts_tasks_per_leader_and_unit(curated_copy):
    package, _ = read_package(cli.read_files([FIXTURES / "good_2024.xlsx"]))
    plan, problems = plan_import(package, curated_copy)
    assert not problems
    # counted from the import file itself: group 一 is 林杰's (14 rows); 附件3 names leaders per row
    tasks = package.tables["tasks"]
    column = tasks.loc[tasks["table_id"] == "2024-livelihood", "leaders"].str.replace(" ", "")
    per_leader = plan.tasks_per_leader().set_index("leader")["tasks_after"]
    assert per_leader["林杰"] == 14 + (column == "林杰").sum()
    assert per_leader["伍国军"] == (column == "伍国军").sum()
    per_unit = plan.tasks_per_unit()
    lead = per_unit[per_unit["role"] == "lead"].set_index("unit")["tasks_after"]
    assert lead["区卫生健康局"] == tasks["units"].str.contains("区卫生健康局").sum()
    assert plan.tasks_per_leader()["tasks_before"].eq(0).all()
    assert list(plan.new_leaders["leader"]) == list(package.tables["leaders"]["leader"])
    assert plan.changed == ("documents", "tables", "tasks", "leaders")


def test_replacing_a_notice_needs_confirmation(curated_copy, tmp_path, capsys):
    workbook = tmp_path / "2022.xlsx"
    workbook.write_bytes(notice_workbook(curated_copy, DOC_2022))
    book = load_workbook(workbook)
    tasks = book["tasks"]
    content = [c.column for c in tasks[1] if c.value == "content"][0]
    tasks.cell(row=2, column=content).value = "改过的任务内容。"
    book.save(workbook)
    before = fingerprint(curated_copy.parent)
    assert cli.main(["--curated", str(curated_copy), "import", str(workbook)]) == 1
    assert "已经导入过（现有 161 条任务）" in capsys.readouterr().err
    assert fingerprint(curated_copy.parent) == before

    assert cli.main(["--curated", str(curated_copy), "import", str(workbook), "--replace"]) == 0
    assert "替换 温鹿政办〔2022〕4号：任务 161 → 161 条" in capsys.readouterr().out
    frames = load_frames(curated_copy)
    assert len(frames.tasks) == 257
    first = frames.tasks[frames.tasks["doc_no"] == DOC_2022].iloc[0]
    assert first["content"] == "改过的任务内容。"
    # replaced in place: the 2022 rows stay where they were
    assert list(frames.tasks["task_id"]) == list(load_frames().tasks["task_id"])


def test_an_unknown_unit_can_be_added_with_its_category(curated_copy, capsys):
    bad = FIXTURES / "bad" / "unknown_unit.xlsx"
    package, _ = read_package(cli.read_files([bad]))
    _, problems = plan_import(package, curated_copy)
    (problem,) = problems
    assert problem.value == "区发改委" and "--add-unit 区发改委=类别" in problem.fix
    assert cli.main(["--curated", str(curated_copy), "import", str(bad), "--add-unit", "区发改委=区级部门"]) == 0
    assert "新增单位：区发改委" in capsys.readouterr().out
    units = pd.read_csv(curated_copy / "units.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert units.iloc[-1].tolist() == ["区发改委", "区级部门", "", "鹿城区"]  # added to the notice's district


def test_an_added_unit_needs_a_known_category(curated_copy, capsys):
    bad = FIXTURES / "bad" / "unknown_unit.xlsx"
    assert cli.main(["--curated", str(curated_copy), "import", str(bad), "--add-unit", "区发改委=部门"]) == 1
    assert "新增单位 第1行 列“category”：单位“区发改委”的类别“部门”无效" in capsys.readouterr().err


def test_round_trip_import_of_an_exported_notice_gives_the_same_files(curated_copy, tmp_path):
    """Remove 2022 from a copy, import its package again: every curated file is byte-for-byte the original."""
    original = {spec.file: (curated_copy / spec.file).read_bytes() for spec in SPECS.values()}
    workbook = tmp_path / "2022.xlsx"
    workbook.write_bytes(notice_workbook(curated_copy, DOC_2022))
    raw, _ = read_curated(curated_copy)
    old_tables = set(raw["tables"].loc[raw["tables"]["doc_no"] == DOC_2022, "table_id"])
    reduced = {
        "documents": raw["documents"][raw["documents"]["doc_no"] != DOC_2022],
        "tables": raw["tables"][raw["tables"]["doc_no"] != DOC_2022],
        "tasks": raw["tasks"][~raw["tasks"]["table_id"].isin(old_tables)],
        "leaders": raw["leaders"][raw["leaders"]["year"] != "2022"],
    }
    for name, frame in reduced.items():
        (curated_copy / SPECS[name].file).write_bytes(table_bytes(frame))
    assert len(load_frames(curated_copy).tasks) == 96

    assert cli.main(["--curated", str(curated_copy), "import", str(workbook)]) == 0
    assert {spec.file: (curated_copy / spec.file).read_bytes() for spec in SPECS.values()} == original
    # and the notice written out again holds the same cells as the file imported
    again = notice_workbook(curated_copy, DOC_2022)
    first, second = load_workbook(workbook), load_workbook(io.BytesIO(again))
    for name in ("documents", "tables", "tasks", "units", "leaders"):
        assert list(first[name].values) == list(second[name].values), name


def test_restore_brings_back_a_version_and_keeps_the_current_one(curated_copy, capsys):
    def tables() -> dict[str, str]:  # the folder also records which version it holds (.version)
        return {name: digest for name, digest in fingerprint(curated_copy).items() if name.endswith(".csv")}

    original = tables()
    assert cli.main(["--curated", str(curated_copy), "import", str(FIXTURES / "good_2024.xlsx")]) == 0
    imported = tables()
    (version,) = versions(curated_copy)
    assert cli.main(["--curated", str(curated_copy), "restore", version.version]) == 0
    assert tables() == original
    newest = versions(curated_copy)[0]
    assert newest.action == f"恢复到版本 {version.version}" and newest.tasks == 257 + 28
    kept = store.version_files(curated_copy, newest.version)
    assert {SPECS[name].file: hashlib.sha256(data).hexdigest() for name, data in kept.items()} == imported
    capsys.readouterr()
    assert cli.main(["--curated", str(curated_copy), "history"]) == 0
    out = capsys.readouterr().out
    assert version.version in out and newest.version in out
    assert cli.main(["--curated", str(curated_copy), "restore", "20000101-000000-000000"]) == 1


def test_the_suggested_import_command_is_safe_to_paste(tmp_path, curated_copy, capsys):
    """A file name with ; or a leading - must not run a command or be read as an option when pasted."""
    import shlex

    hostile = tmp_path / "-n;touch PWNED.xlsx"
    hostile.write_bytes((FIXTURES / "good_2024.xlsx").read_bytes())
    assert cli.main(["--curated", str(curated_copy), "validate", "--", str(hostile)]) == 0
    suggestion = capsys.readouterr().out.split("导入请运行：")[1].strip()
    words = shlex.split(suggestion)
    assert words[:4] == ["python", "-m", "loaders", "import"] and words[-2:] == ["--", str(hostile)]
    # run as pasted (in a shell), from the file's folder with a relative name
    relative = cli.import_command([Path(hostile.name)], replace=False)
    assert shlex.split(relative)[-1] == f"./{hostile.name}"
    result = subprocess.run(f"cd {shlex.quote(str(tmp_path))} && echo {relative}", shell=True,
                            capture_output=True, text=True)
    assert not (tmp_path / "PWNED.xlsx").exists() and result.returncode == 0


def test_a_file_name_starting_with_a_dash_is_read_as_a_file(tmp_path, curated_copy, capsys, monkeypatch):
    dashed = tmp_path / "-2024.xlsx"
    dashed.write_bytes((FIXTURES / "good_2024.xlsx").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--curated", str(curated_copy), "validate", "--", "-2024.xlsx"]) == 0
    assert cli.main(["--curated", str(curated_copy), "validate", "./-2024.xlsx"]) == 0
    with pytest.raises(SystemExit):
        cli.main(["--curated", str(curated_copy), "validate", "-2024.xlsx"])
    assert "写成 ./-文件名，或在文件名前加 --" in capsys.readouterr().err


def test_the_template_download_name_keeps_only_safe_characters_of_the_notice_number():
    assert template_file_name(DOC_2022) == f"导入模板_{DOC_2022}.xlsx"
    hostile = template_file_name('=HYPERLINK("x")温鹿政办/〔2022〕 9号')
    assert hostile == "导入模板_HYPERLINK(x)温鹿政办〔2022〕9号.xlsx"  # no folder, no formula, no blank
    assert template_file_name("-rf ../a") == "导入模板_rf..a.xlsx"
