"""Malformed curated files give clear messages (file, row, column, fix) and no data."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders.frames import load_frames
from loaders.problems import CuratedDataError

ROOT = Path(__file__).resolve().parents[1]


def edit(directory: Path, name: str, change, encoding: str = "utf-8-sig") -> None:
    path = directory / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = change(frame)
    frame.to_csv(path, index=False, encoding=encoding)


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(CuratedDataError) as caught:
        load_frames(directory)
    return [str(p) for p in caught.value.problems]


def test_the_bundled_data_has_no_problems(curated_copy):
    assert len(load_frames(curated_copy).tasks) == 257


def test_misspelled_header(curated_copy):
    edit(curated_copy, "tasks.csv", lambda f: f.rename(columns={"units": "unit"}))
    (message,) = problems_of(curated_copy)
    assert "tasks.csv 第1行 列“units”：缺少列" in message
    assert "表头“unit”是否应为“units”" in message


def test_empty_required_cell(curated_copy):
    def blank(frame):
        frame.loc[10, "table_id"] = ""
        return frame
    edit(curated_copy, "tasks.csv", blank)
    assert any("tasks.csv 第12行 列“table_id”：必填单元格为空" in m for m in problems_of(curated_copy))


def test_unknown_unit_offers_the_closest_names(curated_copy):
    def misspell(frame):
        frame.loc[0, "units"] = "区发改委"
        return frame
    edit(curated_copy, "tasks.csv", misspell)
    (message,) = problems_of(curated_copy)
    assert "tasks.csv 第2行 列“units”：单位“区发改委”不在鹿城区的单位词典中" in message
    assert "区发改局" in message and "units.csv" in message


def test_unknown_leader(curated_copy):
    def misspell(frame):
        frame.loc[0, "leaders"] = "虞立青"
        return frame
    edit(curated_copy, "tasks.csv", misspell)
    (message,) = problems_of(curated_copy)
    assert "第2行 列“leaders”" in message and "虞立青" in message and "leaders.csv" in message


def test_gap_in_numbering(curated_copy):
    edit(curated_copy, "tasks.csv", lambda f: f.drop(index=20).reset_index(drop=True))
    (message,) = problems_of(curated_copy)
    assert "第22行 列“seq”：序号22与前后不连续（此处应为21）" in message


def test_repeated_number(curated_copy):
    def repeat(frame):
        frame.loc[5, "seq"] = "5"
        frame.loc[5, "task_id"] = "2020-annual-006x"
        return frame
    edit(curated_copy, "tasks.csv", repeat)
    messages = problems_of(curated_copy)
    assert any("序号5重复出现2次" in m for m in messages)


def test_duplicate_task_id(curated_copy):
    def duplicate(frame):
        frame.loc[1, "task_id"] = frame.loc[0, "task_id"]
        return frame
    edit(curated_copy, "tasks.csv", duplicate)
    assert any("第3行 列“task_id”：重复的记录“2020-annual-001”" in m for m in problems_of(curated_copy))


def test_invalid_code(curated_copy):
    def wrong(frame):
        frame.loc[0, "scope"] = "yearly"
        return frame
    edit(curated_copy, "tables.csv", wrong)
    (message,) = problems_of(curated_copy)
    assert "tables.csv 第2行 列“scope”：类别“yearly”无效" in message and "annual" in message


def test_text_marked_missing_must_say_so(curated_copy):
    def drop_text(frame):
        frame.loc[0, "content"] = ""
        return frame
    edit(curated_copy, "tasks.csv", drop_text)
    (message,) = problems_of(curated_copy)
    assert "第2行 列“content”：任务内容为空" in message and "content_missing" in message


def test_missing_file(curated_copy):
    (curated_copy / "units.csv").unlink()
    assert any("units.csv：文件不存在" in m for m in problems_of(curated_copy))


def test_file_saved_as_gb18030_by_wps_is_read(curated_copy):
    edit(curated_copy, "tasks.csv", lambda f: f, encoding="gb18030")
    assert len(load_frames(curated_copy).tasks) == 257


def test_every_problem_is_reported_at_once(curated_copy):
    def several(frame):
        frame.loc[0, "units"] = "区发改委"
        frame.loc[1, "leaders"] = "无名氏"
        return frame
    edit(curated_copy, "tasks.csv", several)
    assert len(problems_of(curated_copy)) == 2


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_reports_problems_without_traceback_and_writes_nothing(curated_copy, tmp_path):
    edit(curated_copy, "tasks.csv", lambda f: f.rename(columns={"content": "contents"}))
    out = tmp_path / "out"
    result = run_cli("--curated", str(curated_copy), "export", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tasks.csv 第1行 列“content”：缺少列" in result.stderr
    assert not out.exists()


def test_cli_validate_passes_on_the_bundled_data():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "257 条任务" in result.stdout
