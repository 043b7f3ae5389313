"""Splitting unit lists, repairing wrapped names, aliases, capacities and roles."""

import pandas as pd
import pytest

from loaders.curated import read_curated
from loaders.units import UnitDictionary, note_lead_organs, roles, split_unit_list


@pytest.fixture(scope="module")
def dictionary() -> UnitDictionary:
    tables, problems = read_curated()
    assert problems == []
    return UnitDictionary(tables["units"])


def names(mentions):
    return [m.unit for m in mentions]


def test_2020_lists_are_split_on_spaces(dictionary):
    printed = "区发改局* 区经信局* 市自然资源和规划局鹿城分局"
    mentions = split_unit_list(printed, dictionary)
    assert names(mentions) == ["区发改局", "区经信局", "市自然资源和规划局鹿城分局"]
    assert roles(mentions) == ["lead", "lead", "support"]


def test_2022_lists_are_split_on_enumeration_comma(dictionary):
    printed = "区应急管理局*、 区公安分局、区 交通运输局、区 市场监管局、区 防控办、区消防 救援大队"
    assert names(split_unit_list(printed, dictionary)) == [
        "区应急管理局", "区公安分局", "区交通运输局", "区市场监管局", "区防控办", "区消防救援大队"]


@pytest.mark.parametrize("printed, expected", [
    ("市自然资源和规划局 鹿城分局", ["市自然资源和规划局鹿城分局"]),
    ("鞋都产业园 区服务中心", ["鞋都产业园区服务中心"]),
    ("区 交通运输局 区住建局", ["区交通运输局", "区住建局"]),
    ("市自然资源和规划局 鹿城分局* 相关街镇", ["市自然资源和规划局鹿城分局", "相关街镇"]),
])
def test_names_wrapped_by_the_pdf_are_joined_again(dictionary, printed, expected):
    assert names(split_unit_list(printed, dictionary)) == expected


def test_a_star_after_a_space_marks_the_unit_before_it(dictionary):
    mentions = split_unit_list("区投资促进服务中心 * 区发改局", dictionary)
    assert names(mentions) == ["区投资促进服务中心", "区发改局"]
    assert roles(mentions) == ["lead", "support"]
    mentions = split_unit_list("区投资促进服务中心 *、各相关单位", dictionary)
    assert roles(mentions) == ["lead", "support"]


@pytest.mark.parametrize("printed, unit", [
    ("历史文化街区建设服务中心", "区历史文化街区建设服务中心"),
    ("轻工产品交易服务中心", "区轻工产品交易服务中心"),
    ("鹿城区消防救援大队", "区消防救援大队"),
])
def test_aliases_map_to_one_canonical_name(dictionary, printed, unit):
    mention = dictionary.resolve(printed)
    assert mention.known and mention.unit == unit


@pytest.mark.parametrize("printed, unit, capacity", [
    ("区住建局(区建美办)", "区住建局", "区建美办"),
    ("区府办（区“两个健康”办）", "区府办", "区“两个健康”办"),
    ("区府办(区“两个健康”办)", "区府办", "区“两个健康”办"),
    ("区财政局（区国资办）", "区财政局", "区国资办"),
    ("区委组织部(人才办)*", "区委组织部", "区人才办"),
    ("区委组织部（区人才办）*", "区委组织部", "区人才办"),
])
def test_a_bracketed_capacity_is_kept_beside_the_unit(dictionary, printed, unit, capacity):
    mention = dictionary.resolve(printed)
    assert (mention.unit, mention.capacity, mention.known) == (unit, capacity, True)


def test_unknown_names_are_reported_with_close_dictionary_names(dictionary):
    mention = dictionary.resolve("区发改委")
    assert not mention.known
    assert "区发改局" in dictionary.closest("区发改委")


def test_a_row_without_stars_makes_every_unit_lead(dictionary):
    mentions = split_unit_list("区商务局 轻工产品交易服务中心", dictionary)
    assert roles(mentions) == ["lead", "lead"]


def test_note_hands_lead_to_party_organs():
    note = "根据区委工作安排，由区委办（区委改革办）、区委政法委牵头。"
    assert note_lead_organs(note) == ["区委办（区委改革办）", "区委政法委"]
    assert note_lead_organs("根据区委工作安排，白鹿引才等工作由区委组织部（区人才办）牵头。") == ["区委组织部（区人才办）"]
    assert note_lead_organs("") == []


# Real rows, checked against the notices.

def test_2020_row_40_has_three_marked_leads_and_one_support(units_of):
    assert units_of("2020-annual-040") == {
        "区住建局": ("lead", "table"), "区综合行政执法局": ("lead", "table"),
        "市生态环境局鹿城分局": ("lead", "table"), "相关街镇": ("support", "table")}


def test_2020_row_34_units_that_ran_into_the_text_are_units(units_of, task):
    assert units_of("2020-annual-034") == {
        "区城中村改造建设中心": ("lead", "table"), "市自然资源和规划局鹿城分局": ("lead", "table")}
    assert task("2020-annual-034")["content"].endswith("做地储备4000亩以上。")


def test_note_organs_are_leads_found_by_unit_filter(frames, units_of):
    assert units_of("2022-annual-01-14") == {"区委政法委": ("lead", "note")}
    assert units_of("2022-annual-01-08") == {
        "区府办": ("lead", "table"), "区委办": ("lead", "note"), "区委政法委": ("lead", "note")}
    zfw = frames.task_units[frames.task_units["unit"] == "区委政法委"]
    assert set(zfw["task_id"]) == {
        "2022-five_year-01-09", "2022-five_year-01-13", "2022-annual-01-08",
        "2022-annual-01-14", "2022-annual-03-12", "2022-annual-05-01", "2022-annual-05-02"}


def test_a_unit_both_listed_and_named_in_the_note_appears_once(units_of):
    assert units_of("2022-annual-02-06") == {
        "区委组织部": ("lead", "table"), "区教育局": ("support", "table")}


def test_placeholders_are_flagged(frames):
    placeholders = frames.task_units[frames.task_units["is_placeholder"]]
    assert set(placeholders["unit"]) == {
        "相关街镇", "各相关单位", "涉企审批相关单位", "区新冠肺炎疫情防控领导小组其他成员单位", "在鹿通信公司"}
    assert (placeholders["category"] == "统称").all()


def test_every_unit_has_a_known_category(frames):
    assert frames.task_units["category"].notna().all()
    assert not (frames.task_units["unit"].str.contains(r"[\s*]")).any()


def test_aliases_merge_across_years(frames):
    years = frames.task_units.groupby("unit")["year"].agg(lambda y: sorted(set(y)))
    assert years["区历史文化街区建设服务中心"] == [2020, 2022]
    assert years["区轻工产品交易服务中心"] == [2020, 2022]
    assert years["区消防救援大队"] == [2020, 2022]
