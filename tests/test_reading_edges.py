"""Edge cases of real notices found by reading the reader's code against how offices print (each once
read wrongly or dropped): numerals like 十三五, text copied from a PDF with lines broken inside sentences,
a second bracket after the roles, roles as a last sentence, remarks in brackets, titles before names,
a leader's group ended by a plain section, deadlines of several steps, names wrapped in a cell, and a
header chosen by a person applied to that header only."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.package import UploadedFile
from loaders.reading import check_notice
from loaders.reading.build import ReadOptions, deadline_of
from loaders.reading.layout import cn_number
from loaders.reading.roles import trailing_roles
from loaders.reading.unit_names import leader_and_title, split_names
from tools.reading_accuracy import empty_curated

EDGES = Path(__file__).resolve().parent / "notices" / "edges"
HEAD = "测试县2024年政府工作报告重点工作任务分解方案\n一、重点项目\n"


def read(text: str, tmp_path: Path, **options) -> list[tuple]:
    """Import a notice as a new user would (only the district named) and return its tasks, or the problems."""
    checked = check_notice([UploadedFile("通知.txt", text.encode())], empty_curated(tmp_path / f"curated{len(list(tmp_path.iterdir()))}"),
                           ReadOptions(district="测试县", **options), accept_new=True)
    if checked.plan is None:
        return [str(p) for p in checked.problems]
    frames = checked.plan.frames
    rows = []
    for task in frames.tasks.itertuples():
        units = frames.task_units[frames.task_units["task_id"] == task.task_id]
        leaders = frames.task_leaders.loc[frames.task_leaders["task_id"] == task.task_id, "leader"]
        rows.append((task.content, sorted(units.loc[units["role"] == "lead", "unit"]),
                     sorted(units.loc[units["role"] == "support", "unit"]), sorted(leaders), task.deadline))
    return rows


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99),
                                        ("十三五", None), ("十四五", None), ("二十十", None), ("一二", None)])
def test_chinese_numerals_up_to_99_and_nothing_else(text, value):
    assert cn_number(text) == value


def test_a_heading_naming_a_five_year_plan_is_read_not_a_crash(tmp_path):
    text = "测试县2024年政府工作报告重点工作任务分解方案\n一、“十三五”遗留项目收尾\n1.完成老旧小区改造12个。（县住建局负责）\n"
    assert read(text, tmp_path) == [("完成老旧小区改造12个。", ["县住建局"], [], [], "")]


@pytest.mark.parametrize("printed,text,roles", [
    ("新建公园3个（牵头单位：县住建局）（6月底前完成）", "新建公园3个（6月底前完成）", {"lead": "县住建局"}),
    ("新增岗位5000个【牵头单位】县人社局【配合单位】县财政局", "新增岗位5000个", {"lead": "县人社局", "support": "县财政局"}),
    ("推进数字乡村建设（县农业农村局牵头、县大数据局、县财政局配合）", "推进数字乡村建设",
     {"lead": "县农业农村局", "support": "县大数据局、县财政局"}),
    ("推进数字乡村建设。县农业农村局牵头、县大数据局配合。", "推进数字乡村建设。",
     {"lead": "县农业农村局", "support": "县大数据局"}),
    ("改造老旧小区12个（居民参与）。", "改造老旧小区12个（居民参与）。", {}),
    ("新建公园3个（所需资金由县财政负责）。", "新建公园3个（所需资金由县财政负责）。", {}),
])
def test_roles_after_a_task_and_remarks_that_are_not_roles(printed, text, roles):
    assert trailing_roles(printed) == (text, roles)


def test_many_labels_in_one_paragraph_are_all_read():
    # each label once (the time is in bench/reading_accuracy.py; it was 17.7 s when each label re-read the rest)
    body, roles = trailing_roles("完成任务。" + "牵头单位：县住建局；" * 3000)
    assert body == "完成任务。" and roles["lead"].count("县住建局") == 3000
    body, roles = trailing_roles("完成任务" + "【牵头单位】县住建局" * 3000)
    assert body == "完成任务" and roles["lead"].count("县住建局") == 3000


@pytest.mark.parametrize("printed,name,title", [
    ("张三 副县长", "张三", "副县长"), ("副县长 李四", "李四", "副县长"),
    ("县委常委、常务副县长王五", "王五", "县委常委、常务副县长"), ("刘洋（副市长）", "刘洋", "副市长"),
])
def test_leader_names_without_their_titles_or_spaces(printed, name, title):
    assert leader_and_title(printed) == (name, title)


@pytest.mark.parametrize("printed,due", [
    ("6月底前开工，年底前完工", "2024-12-31"), ("2024年底前", "2024-12-31"), ("2024年年底", "2024-12-31"),
    ("全年", "2024-12-31"), ("2025年全年", "2025-12-31"), ("2025年本年度内", "2025-12-31"), ("2025年内", "2025-12-31"),
    ("三季度末", "2024-09-30"), ("2025年6月", "2025-06-30"), ("长期坚持", ""),
])
def test_a_deadline_cell_gives_the_last_day_it_names(printed, due):
    assert deadline_of(printed, 2024) == due


@pytest.mark.parametrize("cell,names", [
    ("县住建局、县市场\n监管局", ["县住建局", "县市场监管局"]), ("县政府\n办公室、县财政局", ["县政府办公室", "县财政局"]),
    ("县住建局\n县财政局", ["县住建局", "县财政局"]), ("市场监管局\n公安局", ["市场监管局", "公安局"]),
])
def test_names_wrapped_in_a_cell_after_a_word_that_could_end_one(cell, names):
    assert split_names(cell) == names


def test_pdf_line_breaks_titles_before_names_and_a_group_ended_by_a_plain_section(tmp_path):
    text = (EDGES / "wrapped_lines_and_leader_groups.txt").read_text("utf-8")
    assert read(text, tmp_path) == [
        ("全县生产总值增长7%。", ["县发改局"], ["县统计局"], ["王五"], ""),  # “常务副县长王五负责的工作”
        ("新增就业岗位5000个，城镇登记失业率控制在3%以内。", ["县人社局"], ["县市场监管局", "县财政局"], ["李四"], ""),
        ("新建公园3个。", ["县住建局"], [], [], ""),  # under 三、民生实事: no leader is printed, none is given
    ]


def test_a_header_chosen_by_a_person_is_applied_to_that_row_only(tmp_path):
    text = "测试县2024年重点工作任务分解表\n\n序\t事项\t谁办\t时间\n1\t新建公园3个。\t县住建局\t全年\n2\t事项\t县财政局\t谁办\n"
    assert "不是可识别的表头" in read(text, tmp_path)[0]
    chosen = (("序", "序号"), ("事项", "任务内容"), ("谁办", "牵头单位"), ("时间", "完成时限"))
    tasks = read(text, tmp_path, column_roles=chosen)
    # the second row shares two texts with the header and is still a task, not a second header
    assert [t[:2] for t in tasks] == [("新建公园3个。", ["县住建局"]), ("事项", ["县财政局"])]
    assert tasks[0][4] == "2024-12-31"
