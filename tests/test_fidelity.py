"""The curated tables against the published notices in data/sources/.

These tests read the notices independently of tools/curate_sources.py: each
curated row names the line of the notice it came from, and that line must
hold the row's text, units and leaders.
"""

import re
from collections import Counter

import pytest

from loaders.curated import read_curated
from loaders.text import comparable


@pytest.fixture(scope="module")
def curated_tasks():
    tables, problems = read_curated()
    assert problems == []
    return tables["tasks"]


def test_every_task_text_occurs_in_its_notice(curated_tasks, source_lines):
    whole = {name: comparable("".join(lines)) for name, lines in source_lines.items()}
    for row in curated_tasks.itertuples():
        if row.content:
            assert comparable(row.content) in whole[row.source_file], row.task_id


def test_each_row_comes_from_the_line_it_names(curated_tasks, source_lines):
    for row in curated_tasks.itertuples():
        line = comparable(source_lines[row.source_file][int(row.source_line) - 1])
        # a sub-row of a 民生实事 item prints its name only on the first sub-row
        project = row.project if row.part in ("", "1") else ""
        for cell in (row.content, row.units, row.leaders, row.note, project):
            assert comparable(cell) in line, (row.task_id, cell)


def test_2020_numbering_matches_the_notice(curated_tasks, source_lines):
    text = "\n".join(source_lines["2020_温鹿政办〔2020〕18号_2020年政府工作报告责任分解.txt"])
    printed = sorted(int(n) for n in re.findall(r"[（(]\s*(\d+)\s*[）)]\s*\S", text) if int(n) <= 96)
    rows = curated_tasks[curated_tasks["table_id"] == "2020-annual"]
    assert sorted(rows["seq"].astype(int)) == list(range(1, 97))
    # (81)–(89) lost their text in the published notice: every other number is printed
    assert sorted(set(printed)) == [n for n in range(1, 97) if not 81 <= n <= 89]


def test_2020_rows_81_to_89_keep_units_and_leaders_without_text(frames):
    rows = frames.tasks[frames.tasks["content_missing"]]
    assert rows["seq"].tolist() == list(range(81, 90))
    assert (rows["content"] == "").all()
    assert (rows["units"] != "").all() and (rows["leaders"] != "").all()
    assert rows.set_index("seq").loc[88, "leaders"] == "曾伟"


def test_2022_row_counts_per_heading_match_the_notice(frames, source_lines):
    lines = source_lines["2022_温鹿政办〔2022〕4号_2022年政府工作报告重点工作和民生实事责任分解.txt"]
    counts, table, heading = Counter(), None, None
    for line in lines:
        if line.startswith("附件 1"):
            table = "2022-five_year"
        elif line.startswith("附件 2"):
            table = "2022-annual"
        elif line.startswith("附件 3"):
            table = "2022-livelihood"
        elif re.match(r"^[一二三四五六七八九十]+、.+牵头重点工作$", line):
            heading = line
        elif table and re.match(r"^\d+\t", line):
            counts[(table, heading if table != "2022-livelihood" else "")] += 1
        elif table == "2022-livelihood" and line.startswith("\t\t"):
            counts[(table, "")] += 1
    curated = Counter(
        (r.table_id, r.section) for r in frames.tasks[frames.tasks["year"] == 2022].itertuples())
    assert curated == counts
    assert sum(v for (t, _), v in counts.items() if t == "2022-five_year") == 43
    assert sum(v for (t, _), v in counts.items() if t == "2022-annual") == 104
    assert sum(v for (t, _), v in counts.items() if t == "2022-livelihood") == 14


def test_livelihood_items_with_two_sub_rows(frames):
    rows = frames.tasks[frames.tasks["scope"] == "livelihood"]
    assert rows["seq"].nunique() == 12
    split = rows[rows["part"].notna()]
    assert split[["seq", "part", "leaders"]].values.tolist() == [
        [9, 1, "杨丽霞"], [9, 2, "陈允岳"], [12, 1, "张伟"], [12, 2, "杨丽霞"]]


def test_lead_marks_match_the_stars_in_the_notice(frames):
    table_units = frames.task_units[frames.task_units["source"] == "table"]
    for row in frames.tasks.itertuples():
        stars = row.units_printed.count("*")
        these = table_units[table_units["task_id"] == row.task_id]
        if stars:
            assert (these["role"] == "lead").sum() == stars, row.task_id
        else:
            assert (these["role"] == "lead").all(), row.task_id


def test_every_unit_and_leader_resolves_through_the_dictionaries(frames):
    assert set(frames.task_units["unit"]) <= set(frames.units["unit"])
    assert set(frames.task_leaders["leader"]) <= set(frames.leaders["leader"])


def test_leader_task_counts_against_the_2020_leader_column(frames, source_lines):
    text = "\n".join(source_lines["2020_温鹿政办〔2020〕18号_2020年政府工作报告责任分解.txt"])
    per_leader = frames.task_leaders[frames.task_leaders["year"] == 2020]["leader"].value_counts()
    for leader, count in per_leader.items():
        # each 2020 row prints its leaders once, in the last cell of the row
        assert len(re.findall(rf"\t(?:<p>)?[^\t]*{leader}[^\t]*(?:</p>)?\s*$", text, re.M)) == count, leader


def test_2022_titles_match_the_headings(frames, source_lines):
    lines = source_lines["2022_温鹿政办〔2022〕4号_2022年政府工作报告重点工作和民生实事责任分解.txt"]
    headings = {l for l in lines if re.match(r"^[一二三四五六七八九十]+、.+牵头重点工作$", l)}
    leaders = frames.leaders[frames.leaders["year"] == 2022]
    for row in leaders.itertuples():
        assert any(f"、{row.leader}{row.title}牵头重点工作" in h for h in headings), row.leader


def test_sources_are_the_published_notices_unedited(frames):
    """documents.csv records each notice's SHA-256; the file must still match it."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "data" / "sources"
    for row in frames.documents.itertuples():
        assert hashlib.sha256((root / row.source_file).read_bytes()).hexdigest() == row.source_sha256
