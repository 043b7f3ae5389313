"""Notices of other places, in the layouts offices publish (tests/notices/layouts/, each with a hand-read
gold file), imported the way a new user would: only the district named, new units and leaders accepted.

Every notice is also laid out again as .docx, .xlsx and a PDF printed by Chromium (tools/notice_formats.py),
so each layout is read from every format. The pieces of the open grammar are checked one by one below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.curated import UNIT_CATEGORIES
from loaders.package import UploadedFile
from loaders.reading import infer_category, is_notice
from loaders.reading.layout import scope_of
from loaders.reading.roles import label_role, labelled_roles, role_line, sentence_roles, trailing_roles
from loaders.reading.unit_names import leader_and_title, split_names
from tools.notice_formats import FORMATS
from tools.reading_accuracy import empty_curated, notices, score

LAYOUTS = Path(__file__).resolve().parent / "notices" / "layouts"
CASES = [(notice, gold, kind) for notice, gold in notices(LAYOUTS) for kind in FORMATS]


@pytest.mark.parametrize("notice,gold,kind", CASES, ids=[f"{n.stem}.{k}" for n, _, k in CASES])
def test_each_layout_imports_first_time_with_every_task_exactly_right(notice, gold, kind, tmp_path):
    data = FORMATS[kind](notice.read_text("utf-8"))
    result = score(f"{notice.stem}.{kind}", data, gold, empty_curated(tmp_path / "curated"))
    assert result.imported, result.problems
    assert result.wrong == [] and result.right == result.tasks and result.extra == 0


@pytest.mark.parametrize("label,role", [
    ("牵头负责领导", "leaders"), ("分管县领导", "leaders"), ("牵头市领导", "leaders"), ("责任领导", "leaders"),
    ("牵头责任单位", "lead"), ("主办部门", "lead"), ("协同责任单位", "support"), ("配合部门", "support"),
    ("责任单位", "units"), ("承办单位", "units"), ("部门分工", "sentence"), ("工作目标", None),
])
def test_role_labels_are_read_by_their_parts(label, role):
    assert label_role(label) == role


def test_role_sentences_and_brackets_of_any_kind():
    assert sentence_roles("市跑改办牵头，市大数据局、市司法局配合") == {"lead": "市跑改办", "support": "市大数据局、市司法局"}
    assert sentence_roles("由市人力社保局牵头，各县（市、区）政府配合") == {
        "lead": "市人力社保局", "support": "各县（市、区）政府"}
    assert sentence_roles("完成年度目标") == {}
    assert trailing_roles("推进改革。（市国资委负责）") == ("推进改革。", {"lead": "市国资委"})
    assert trailing_roles("开工电站2座。[省能源局负责]")[1] == {"lead": "省能源局"}
    assert trailing_roles("实施项目。【牵头单位：A局；配合单位：B局】")[1] == {"lead": "A局", "support": "B局"}
    assert trailing_roles("建成候车亭50个（6月底前完成选址）") == ("建成候车亭50个（6月底前完成选址）", {})
    text, roles = trailing_roles("建成示范村20个。牵头单位：市农业农村局；配合单位：市财政局。")
    assert text == "建成示范村20个。" and roles == {"lead": "市农业农村局", "support": "市财政局"}
    assert role_line("部门分工：省交通运输厅牵头，省财政厅配合。") == {"lead": "省交通运输厅", "support": "省财政厅"}
    assert labelled_roles("责任领导：张三、李四；牵头单位：A局；责任单位：B局、C局") == {
        "leaders": "张三、李四", "lead": "A局", "units": "B局、C局"}


@pytest.mark.parametrize("printed,names", [
    ("县财政局、县统计局", ["县财政局", "县统计局"]),
    ("各县（市、区）政府", ["各县（市、区）政府"]),
    ("县住建局，各乡、镇人民政府", ["县住建局", "各乡镇人民政府"]),
    ("温溪、船寮管理区", ["温溪管理区", "船寮管理区"]),
    ("英州、椰林镇人民政府", ["英州镇人民政府", "椰林镇人民政府"]),
    ("县住建局、县财政局等", ["县住建局", "县财政局"]),
    ("县农业局、县\n扶贫办", ["县农业局", "县扶贫办"]),
    ("县教\n育局\n县财政局", ["县教育局", "县财政局"]),
    ("市住建局（牵头）、市城管局", ["市住建局*", "市城管局"]),
    ("市大数据局、市司法局", ["市大数据局", "市司法局"]),
])
def test_unit_lists_are_split_as_a_reader_would(printed, names):
    assert split_names(printed) == names


def test_leaders_printed_with_their_titles():
    assert leader_and_title("常务副市长王五") == ("王五", "常务副市长")
    assert leader_and_title("刘洋（副市长）") == ("刘洋", "副市长")
    assert leader_and_title("林杰") == ("林杰", "")


def test_titles_say_annual_five_year_or_livelihood():
    assert scope_of("关于印发2022年政府工作报告重点工作和民生实事责任分解的通知") == "annual"
    assert scope_of("2024年陵水县民生实事项目分解表") == "livelihood"
    assert scope_of("“十四五”时期重点任务分解表") == "five_year"
    assert scope_of("政府工作报告今后五年重点工作责任分解表") == "five_year"


@pytest.mark.parametrize("unit,category", [
    ("省发展改革委", "省级部门"), ("市司法局", "市级部门"), ("温溪管理区", "开发区/园区"), ("某乡", "乡镇街道"),
    ("经济发展局", ""),
])
def test_new_categories_and_a_fallback(unit, category):
    assert infer_category(unit) == category
    assert "待分类" in UNIT_CATEGORIES and all(c in UNIT_CATEGORIES for c in ("省级部门", "市级部门", "开发区/园区"))


def test_a_notice_copied_as_txt_is_a_notice_and_a_curated_table_saved_as_txt_is_not():
    text = (LAYOUTS / "county_role_lines.txt").read_bytes()
    assert is_notice(UploadedFile("通知.txt", text))
    assert not is_notice(UploadedFile("任务.txt", "task_id,table_id,section_no\n".encode("utf-8")))


def test_role_text_under_no_task_is_listed_not_dropped(tmp_path, capsys):
    from loaders import cli
    path = tmp_path / "通知.txt"
    path.write_text("某县2023年政府工作报告重点工作责任分解\n各乡镇、县直各单位：\n牵头单位：县政府办\n一、总体要求\n"
                    "1.完成年度目标。\n牵头单位：县发改局\n", encoding="utf-8")
    curated = empty_curated(tmp_path / "curated")
    assert cli.main(["--curated", str(curated), "import", str(path), "--district", "某县", "--accept-new"]) == 0
    out = capsys.readouterr().out
    assert "第3行“牵头单位：县政府办”写的是责任分工，但上方没有可归属的任务" in out
    assert "新增单位（按名称推断类别）：" in out and "县发改局=区级部门" in out


def test_the_page_reads_a_notice_in_a_child_process_with_limits(tmp_path):
    from loaders.curated import read_curated
    from loaders.reading import ReadOptions, read_notice
    from loaders.security.isolated import read_notice_isolated
    current, _ = read_curated(empty_curated(tmp_path / "curated"))
    upload = UploadedFile("通知.txt", (LAYOUTS / "county_table.txt").read_bytes())
    options = ReadOptions(district="陵水县")
    here, there = read_notice(upload, options, current, True), read_notice_isolated(upload, options, current, True)
    assert there.problems == [] and there.tables["tasks"].equals(here.tables["tasks"])
    starved = read_notice_isolated(upload, options, current, True, memory=64 * 1024 * 1024)
    assert [p.code for p in starved.problems] == ["too_large"] and "超出内存或时间上限" in starved.problems[0].message


def test_a_labelled_document_number_in_copied_text_stays_its_own_line():
    """“文件编号：丽政办发〔2021〕12号” looks like an open role label (“X：”); joined to the lines below, the
    notice lost its 文号, title and issuer, and the office had to type the district."""
    from loaders.reading import parse_blocks, read_blocks

    source = LAYOUTS / "city_leader_headings.txt"
    notice = parse_blocks(source.name, read_blocks(source.name, source.read_bytes()), [])
    assert notice.doc_no == "丽政办发〔2021〕12号"
    assert notice.title == "丽水市人民政府办公室关于印发2021年市政府工作报告重点工作责任分解的通知"
    assert notice.issuer == "丽水市人民政府办公室"
