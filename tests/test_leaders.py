"""Leader names repaired from the PDF text, and titles read from the 2022 headings."""

import pytest

from loaders.curated import read_curated
from loaders.leaders import LeaderDictionary


@pytest.fixture(scope="module")
def leaders() -> LeaderDictionary:
    tables, problems = read_curated()
    assert problems == []
    return LeaderDictionary(tables["leaders"])


@pytest.mark.parametrize("printed, year, expected", [
    ("张 伟", 2022, ["张伟"]),
    ("林 杰", 2022, ["林杰"]),
    ("虞立清 童文阳", 2020, ["虞立清", "童文阳"]),
    ("童文阳 黄加坡", 2020, ["童文阳", "黄加坡"]),
    ("项晓", 2020, ["项晓"]),
])
def test_printed_names_are_repaired_and_split(leaders, printed, year, expected):
    assert leaders.split(printed, year) == (expected, "")


def test_an_unknown_name_is_returned_as_the_unmatched_rest(leaders):
    assert leaders.split("虞立清 王五", 2020) == (["虞立清"], "王五")


@pytest.mark.parametrize("heading, leader, title", [
    ("一、林杰常委、常务副区长牵头重点工作", "林杰", "常委、常务副区长"),
    ("二、张伟常委、副区长牵头重点工作", "张伟", "常委、副区长"),
    ("三、陈允岳常委牵头重点工作", "陈允岳", "常委"),
    ("九、周岷副区长牵头重点工作", "周岷", "副区长"),
])
def test_headings_give_leader_and_title(leaders, heading, leader, title):
    found = leaders.from_heading(heading, 2022)
    assert (found.leader, found.title) == (leader, title)


def test_a_heading_naming_nobody_known_gives_none(leaders):
    assert leaders.from_heading("一、某某副区长牵头重点工作", 2022) is None


def test_every_task_has_a_leader(frames):
    assert (frames.tasks["leaders"] != "").all()
    assert set(frames.task_leaders["task_id"]) == set(frames.tasks["task_id"])


def test_two_leaders_in_one_2020_cell(frames):
    rows = frames.task_leaders[frames.task_leaders["task_id"] == "2020-annual-004"]
    assert rows["leader"].tolist() == ["虞立清", "童文阳"]


def test_livelihood_leaders_get_their_2022_title(frames):
    rows = frames.task_leaders[frames.task_leaders["task_id"] == "2022-livelihood-02"]
    assert rows[["leader", "title"]].values.tolist() == [["张伟", "常委、副区长"]]


def test_2020_titles_are_not_invented(frames):
    rows = frames.task_leaders[frames.task_leaders["year"] == 2020]
    assert (rows["title"] == "").all()


def test_the_same_person_in_both_notices(frames):
    years = frames.task_leaders.groupby("leader")["year"].agg(lambda y: sorted(set(y)))
    both = sorted(name for name, ys in years.items() if ys == [2020, 2022])
    assert both == ["陈允岳"]


def test_leaders_by_load_puts_the_busiest_leader_first(frames):
    from loaders.analysis.leaders import leaders_by_load
    from loaders.analysis.overview import task_count
    from loaders.select import Filters, select

    for year in (2020, 2022):
        chosen = select(frames, Filters(years=(year,)))
        ranking = leaders_by_load(chosen)
        counts = [task_count(select(chosen, Filters(years=(year,), leader=name))) for name in ranking]
        assert sorted(ranking) == sorted(chosen.task_leaders["leader"].unique())
        assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
        # the count per leader is the number of tasks whose printed leader cell names them
        printed = chosen.tasks["leaders"].str.split(r"[、，,\s]+", regex=True)
        assert counts == [int(printed.map(lambda names, n=name: n in names).sum()) for name in ranking]
